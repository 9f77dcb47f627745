import { index, integer, pgTable, smallint, text, timestamp, varchar } from "drizzle-orm/pg-core";
import { users } from "./users.ts";

/** Django's `ADDITION`, `CHANGE` and `DELETION` action flags. */
export const ADMIN_ACTION = { addition: 1, change: 2, deletion: 3 } as const;

/** Django's `django_admin_log`: what staff did in the admin area. */
export const adminLog = pgTable(
  "admin_log",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    actionTime: timestamp({ withTimezone: true }).notNull().defaultNow(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    model: varchar({ length: 100 }).notNull(),
    objectId: text().notNull(),
    objectRepr: varchar({ length: 200 }).notNull(),
    actionFlag: smallint().notNull(),
    changeMessage: text().notNull().default(""),
  },
  (t) => [index("admin_log_user_id_idx").on(t.userId), index("admin_log_action_time_idx").on(t.actionTime)],
);

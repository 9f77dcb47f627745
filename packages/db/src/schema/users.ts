import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

/**
 * Django's `auth_user`. `usernameKey` and `emailKey` hold the case-insensitive comparison keys that
 * `@tsbin/auth-core` computes (NFKC + case folding), so uniqueness holds the same way on PostgreSQL
 * and PGlite whatever their collation.
 */
export const users = pgTable(
  "users",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    password: varchar({ length: 255 }).notNull(),
    lastLogin: timestamp({ withTimezone: true }),
    isSuperuser: boolean().notNull().default(false),
    username: varchar({ length: 150 }).notNull(),
    // The keys are text, not the values' varchar: case folding can lengthen a value ("ß" becomes
    // "ss", and one code point at most three), so a 150-character username may have a longer key.
    usernameKey: text().notNull(),
    firstName: varchar({ length: 150 }).notNull().default(""),
    lastName: varchar({ length: 150 }).notNull().default(""),
    email: varchar({ length: 254 }).notNull().default(""),
    emailKey: text(),
    isStaff: boolean().notNull().default(false),
    isActive: boolean().notNull().default(true),
    dateJoined: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_username_key_unique").on(t.usernameKey),
    uniqueIndex("users_email_key_unique").on(t.emailKey),
    check("users_username_not_blank", sql`length(${t.username}) > 0`),
    check("users_email_key_present", sql`(${t.email} = '') = (${t.emailKey} is null)`),
  ],
);

/** Django's `auth_group`. */
export const groups = pgTable("groups", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: varchar({ length: 150 }).notNull().unique(),
});

/** Django's `auth_permission`, addressed as `appLabel.codename` (e.g. `auth.change_user`). */
export const permissions = pgTable(
  "permissions",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: varchar({ length: 255 }).notNull(),
    appLabel: varchar({ length: 100 }).notNull(),
    model: varchar({ length: 100 }).notNull(),
    codename: varchar({ length: 100 }).notNull(),
  },
  (t) => [uniqueIndex("permissions_app_label_codename_unique").on(t.appLabel, t.codename)],
);

export const userGroups = pgTable(
  "user_groups",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    groupId: integer()
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId] }), index("user_groups_group_id_idx").on(t.groupId)],
);

export const userPermissions = pgTable(
  "user_permissions",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    permissionId: integer()
      .notNull()
      .references(() => permissions.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.permissionId] }),
    index("user_permissions_permission_id_idx").on(t.permissionId),
  ],
);

export const groupPermissions = pgTable(
  "group_permissions",
  {
    groupId: integer()
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    permissionId: integer()
      .notNull()
      .references(() => permissions.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.permissionId] }),
    index("group_permissions_permission_id_idx").on(t.permissionId),
  ],
);

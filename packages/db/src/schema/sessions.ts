import { bigint, customType, index, integer, pgTable, text, timestamp, varchar } from "drizzle-orm/pg-core";
import { users } from "./users.ts";

/** Raw bytes (SHA-256 digests) as `Uint8Array` on both drivers. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | Buffer }>({
  dataType: () => "bytea",
  fromDriver: (value) => (value instanceof Uint8Array ? new Uint8Array(value) : value),
});

/**
 * Server-side sessions (the Lucia design): the client holds `<id>.<secret>`, the table holds the id and
 * SHA-256 of the secret, so a database leak yields no usable token.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: varchar({ length: 64 }).primaryKey(),
    secretHash: bytea().notNull(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastVerifiedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** When the session ends unless used again: the inactivity timeout, capped by the absolute lifetime. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    userAgent: varchar({ length: 512 }).notNull().default(""),
    ipAddress: varchar({ length: 64 }).notNull().default(""),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId), index("sessions_expires_at_idx").on(t.expiresAt)],
);

/** Single-use password reset tokens; only the SHA-256 of the secret is stored. */
export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    id: varchar({ length: 64 }).primaryKey(),
    secretHash: bytea().notNull(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: varchar({ length: 254 }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("password_reset_tokens_user_id_idx").on(t.userId),
    index("password_reset_tokens_email_created_idx").on(t.email, t.createdAt),
  ],
);

/** Audit log written by every auth hook. Never holds a password or a token. */
export const authEvents = pgTable(
  "auth_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    type: varchar({ length: 40 }).notNull(),
    userId: integer().references(() => users.id, { onDelete: "set null" }),
    username: varchar({ length: 150 }).notNull().default(""),
    ipAddress: varchar({ length: 64 }).notNull().default(""),
    userAgent: varchar({ length: 512 }).notNull().default(""),
    detail: text().notNull().default(""),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("auth_events_user_id_created_idx").on(t.userId, t.createdAt),
    index("auth_events_created_at_idx").on(t.createdAt),
  ],
);

/**
 * Counters for rate limits, shared by every API process (apps/api/src/auth/rate-limits.ts): one row
 * per `<limit>:<key>`, the points counted and the end of the window.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: varchar({ length: 255 }).primaryKey(),
    points: integer().notNull().default(0),
    expire: timestamp({ withTimezone: true }),
  },
  (t) => [index("rate_limits_expire_idx").on(t.expire)],
);

import { emailKey, normalizeEmail, normalizeUsername, usernameKey, type User } from "@tsbin/auth-core";
import {
  and,
  eq,
  groupPermissions,
  inArray,
  isNull,
  languages,
  or,
  passwordResetTokens,
  permissions,
  profiles,
  sql,
  userGroups,
  userPermissions,
  users,
  DEFAULT_LANGUAGE_SLUG,
  type Database,
  type DbHandle,
} from "@tsbin/db";
import { uniqueViolationConstraint } from "./db-errors.ts";
import type { AccountLookup } from "./rate-limits.ts";
import { prepared } from "./prepared.ts";
import type { Hooks, RequestMeta } from "./hooks.ts";
import { userColumns, userFromRow, userFromSqlColumns, type UserSqlColumns } from "./user-row.ts";

/**
 * The field a new or changed user collides on: another user has the same username or email address
 * (`taken`), or has this username as an email address, or this email address as a username
 * (`crossed`: a login by that identifier could not tell the two accounts apart).
 */
export class UserConflictError extends Error {
  override readonly name = "UserConflictError";
  constructor(
    readonly field: "username" | "email",
    readonly kind: "taken" | "crossed" = "taken",
  ) {
    super(CONFLICT_MESSAGES[field][kind]);
  }
}

const CONFLICT_MESSAGES = {
  username: {
    taken: "A user with that username already exists.",
    crossed: "A user with that email address already exists.",
  },
  email: {
    taken: "A user with that email address already exists.",
    crossed: "A user with that username already exists.",
  },
} as const;

export interface NewUser {
  username: string;
  email: string;
  /** An encoded hash (or an unusable password), never a raw password. */
  passwordHash: string;
  firstName?: string;
  lastName?: string;
  isStaff?: boolean;
  isSuperuser?: boolean;
  isActive?: boolean;
}

/**
 * The conflict a failed write of a user ran into: a unique index, or one of the two constraints the
 * trigger of migration 0004 names (`users_username_is_an_email`, `users_email_is_a_username`).
 */
export function userConflictFrom(error: unknown): UserConflictError | undefined {
  const constraint = uniqueViolationConstraint(error);
  if (constraint === undefined) return undefined;
  if (constraint === "users_username_is_an_email") return new UserConflictError("username", "crossed");
  if (constraint === "users_email_is_a_username") return new UserConflictError("email", "crossed");
  return new UserConflictError(constraint.includes("email") ? "email" : "username");
}

/**
 * Inserts a user and fires `userCreated` inside the same transaction, so its receivers (the
 * profile) commit or roll back with the user. A taken username or email, even one taken by a
 * concurrent sign-up a moment earlier, is a {@link UserConflictError}.
 */
export async function createUser(db: Database, hooks: Hooks, input: NewUser, meta: RequestMeta): Promise<User> {
  const username = normalizeUsername(input.username);
  const email = input.email === "" ? "" : normalizeEmail(input.email);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({
          username,
          usernameKey: usernameKey(username),
          email,
          emailKey: email === "" ? null : emailKey(email),
          password: input.passwordHash,
          firstName: input.firstName ?? "",
          lastName: input.lastName ?? "",
          isStaff: input.isStaff ?? false,
          isSuperuser: input.isSuperuser ?? false,
          isActive: input.isActive ?? true,
        })
        .returning(userColumns);
      if (!row) throw new Error("insert into users returned no row");
      const user = userFromRow(row);
      await hooks.emit("userCreated", { user, meta, db: tx });
      return user;
    });
  } catch (error) {
    throw userConflictFrom(error) ?? error;
  }
}

/** The `userCreated` receiver that gives every user a profile (the tutorial's `Author`). */
export async function createProfileForUser({ user, db }: { user: User; db: Database }): Promise<void> {
  await db.insert(profiles).values({
    userId: user.id,
    defaultLanguageId: sql`(select ${languages.id} from ${languages} where ${languages.slug} = ${DEFAULT_LANGUAGE_SLUG})`,
  });
}

/** A user and the stored hash, for checking a password. */
export interface UserWithPassword {
  user: User;
  passwordHash: string;
}

/**
 * The account a login form names: by username, or by email address (case-insensitively, after
 * NFKC); a username match wins over an email match. The login carries it in its first statement
 * (`RateLimits.beginLoginAttempt`); read the row with {@link userWithPasswordFromLoginRow}.
 */
export function loginLookup(identifier: string): AccountLookup {
  return {
    sql: (first) =>
      `select id, username, email, first_name, last_name, is_active, is_staff, is_superuser, date_joined, last_login,
              password
         from users
        where username_key = $${first} or email_key = $${first + 1}::varchar
        order by username_key = $${first} desc
        limit 1`,
    params: [usernameKey(identifier), identifier.includes("@") ? emailKey(identifier) : null],
  };
}

/**
 * The canonical form of what a login form names, for the rate limits of a name that matches no
 * account: as caseless as the lookup, so that spellings of one unknown address share a budget as
 * those of an existing one do (an email address may be longer than any username).
 */
export function loginIdentifierKey(identifier: string): string {
  return identifier.includes("@") ? emailKey(identifier) : usernameKey(identifier);
}

export function userWithPasswordFromLoginRow(row: Record<string, unknown>): UserWithPassword {
  const found = row as unknown as LoginRow;
  return { user: userFromSqlColumns(found.id, found), passwordHash: found.password };
}

interface LoginRow extends UserSqlColumns {
  id: number;
  password: string;
}

/** {@link loginLookup} on its own, outside a login (the CLI's changepassword). */
export async function findUserForLogin(
  database: Pick<DbHandle, "query">,
  identifier: string,
): Promise<UserWithPassword | null> {
  const lookup = loginLookup(identifier);
  const [row] = await database.query(lookup.sql(1), [...lookup.params]);
  return row ? userWithPasswordFromLoginRow(row) : null;
}

export async function findUserById(db: Database, id: number): Promise<UserWithPassword | null> {
  const [row] = await db
    .select({ ...userColumns, passwordHash: users.password })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row ? { user: userFromRow(row), passwordHash: row.passwordHash } : null;
}

/**
 * The user whose email address matches the typed one under NFKC and case folding, as Django's
 * `PasswordResetForm.get_users` compares (the CVE-2019-19844 fix): `emailKey` keeps the dotless
 * `ı` apart from `i`, so `mıke@…` never reaches `mike@…`.
 */
export async function findUserByEmail(db: Database, email: string): Promise<UserWithPassword | null> {
  const [row] = await db
    .select({ ...userColumns, passwordHash: users.password })
    .from(users)
    .where(eq(users.emailKey, emailKey(email)))
    .limit(1);
  return row ? { user: userFromRow(row), passwordHash: row.passwordHash } : null;
}

/**
 * Stores a new hash only if the stored one is still `expectedHash`: of two concurrent changes,
 * the second finds the hash moved and reports false instead of silently winning.
 */
export async function replacePasswordHash(
  db: Database,
  userId: number,
  expectedHash: string,
  newHash: string,
): Promise<boolean> {
  const updated = await db
    .update(users)
    .set({ password: newHash })
    .where(and(eq(users.id, userId), eq(users.password, expectedHash)))
    .returning({ id: users.id });
  return updated.length > 0;
}

export async function setPasswordHash(db: Database, userId: number, newHash: string): Promise<void> {
  await db.update(users).set({ password: newHash }).where(eq(users.id, userId));
}

/** Invalidates the user's outstanding password-reset tokens (after a login, a change, a new request). */
export async function expireResetTokens(db: Database, userId: number): Promise<void> {
  await prepared(db, "expireResetTokens", (db) =>
    db
      .update(passwordResetTokens)
      .set({ usedAt: sql`${sql.placeholder("now")}` })
      .where(and(eq(passwordResetTokens.userId, sql.placeholder("userId")), isNull(passwordResetTokens.usedAt)))
      .prepare("tsbin_expire_reset_tokens"),
  ).execute({ now: new Date().toISOString(), userId });
}

/**
 * Django's `get_all_permissions` for an active user, as `app_label.codename`: every permission for a
 * superuser, otherwise the user's own and those of the user's groups. Read per request, so a revoked
 * permission stops working at once.
 */
export async function loadUserPermissions(db: Database, user: Pick<User, "id" | "isSuperuser">): Promise<Set<string>> {
  const columns = { appLabel: permissions.appLabel, codename: permissions.codename };
  let rows: { appLabel: string; codename: string }[];
  if (user.isSuperuser) {
    rows = await db.select(columns).from(permissions);
  } else {
    const direct = db
      .select({ permissionId: userPermissions.permissionId })
      .from(userPermissions)
      .where(eq(userPermissions.userId, user.id));
    const viaGroups = db
      .select({ permissionId: groupPermissions.permissionId })
      .from(groupPermissions)
      .innerJoin(userGroups, eq(userGroups.groupId, groupPermissions.groupId))
      .where(eq(userGroups.userId, user.id));
    rows = await db
      .select(columns)
      .from(permissions)
      .where(or(inArray(permissions.id, direct), inArray(permissions.id, viaGroups)));
  }
  return new Set(rows.map((row) => `${row.appLabel}.${row.codename}`));
}

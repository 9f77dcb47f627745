import { emailKey, usernameKey } from "@tsbin/auth-core";
import { and, eq, ne, or, sql, users, type Database, type SQL } from "@tsbin/db";
import { UserConflictError } from "./user-store.ts";

/**
 * Why another user stands in the way of `username`: the same username (compared after NFKC and
 * case folding), or an email address a login by this username would also match. Null when free.
 */
export async function usernameConflict(
  db: Database,
  username: string,
  exceptUserId?: number,
): Promise<UserConflictError | null> {
  const key = usernameKey(username);
  const same = eq(users.usernameKey, key);
  // The login looks an identifier up as an email address only when it has an "@".
  const crossed = username.includes("@") ? eq(users.emailKey, emailKey(username)) : undefined;
  return conflictOf(db, "username", same, crossed, exceptUserId);
}

/**
 * Why another user stands in the way of `email`: the same address (compared case-insensitively), or
 * a username a login by this address would also match. Null when free.
 */
export async function emailConflict(
  db: Database,
  email: string,
  exceptUserId?: number,
): Promise<UserConflictError | null> {
  const same = eq(users.emailKey, emailKey(email));
  return conflictOf(db, "email", same, eq(users.usernameKey, usernameKey(email)), exceptUserId);
}

async function conflictOf(
  db: Database,
  field: UserConflictError["field"],
  same: SQL,
  crossed: SQL | undefined,
  exceptUserId: number | undefined,
): Promise<UserConflictError | null> {
  const matches = crossed ? or(same, crossed) : same;
  const [row] = await db
    .select({ same: sql<boolean>`${same}` })
    .from(users)
    .where(exceptUserId === undefined ? matches : and(matches, ne(users.id, exceptUserId)))
    .orderBy(sql`${same} desc`)
    .limit(1);
  if (row === undefined) return null;
  return new UserConflictError(field, row.same ? "taken" : "crossed");
}

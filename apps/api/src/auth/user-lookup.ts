import { emailKey, usernameKey } from "@tsbin/auth-core";
import { eq, users, type Database } from "@tsbin/db";

/** Whether a user already has this username, compared after NFKC and case folding. */
export async function usernameTaken(db: Database, username: string, exceptUserId?: number): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.usernameKey, usernameKey(username)))
    .limit(1);
  return row !== undefined && row.id !== exceptUserId;
}

/** Whether a user already has this email address, compared case-insensitively. */
export async function emailTaken(db: Database, email: string, exceptUserId?: number): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.emailKey, emailKey(email)))
    .limit(1);
  return row !== undefined && row.id !== exceptUserId;
}

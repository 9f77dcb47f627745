import {
  generateResetToken,
  getResetTokenExpiresAt,
  parseResetToken,
  verifyTokenSecret,
} from "@tsbin/auth-core/server";
import { and, eq, gt, isNull, passwordResetTokens, users, type Database } from "@tsbin/db";

/**
 * Stores a new single-use reset token for the user, after expiring the older ones (a newer request
 * makes them invalid), and returns the token for the emailed link.
 */
export async function issueResetToken(db: Database, userId: number, email: string, ttlMs?: number): Promise<string> {
  const { id, token, secretHash } = generateResetToken();
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
    await tx.insert(passwordResetTokens).values({
      id,
      secretHash,
      userId,
      email,
      createdAt: now,
      expiresAt: getResetTokenExpiresAt(now, ttlMs),
    });
  });
  return token;
}

/** A token that is well-formed, known, unused, unexpired, and still for the user's current address. */
export interface UsableResetToken {
  id: string;
  userId: number;
  /** The account's username, for the reset page's password-manager hint. */
  username: string;
}

/**
 * Looks a token up without using it. Null for anything not usable — malformed, unknown, wrong
 * secret, used, expired, issued for an address the user has since changed, or for an inactive user.
 */
export async function findUsableResetToken(db: Database, token: string): Promise<UsableResetToken | null> {
  const parsed = parseResetToken(token);
  if (!parsed) return null;
  const [row] = await db
    .select({
      id: passwordResetTokens.id,
      userId: passwordResetTokens.userId,
      username: users.username,
      secretHash: passwordResetTokens.secretHash,
      tokenEmail: passwordResetTokens.email,
      userEmail: users.email,
      isActive: users.isActive,
    })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(
      and(
        eq(passwordResetTokens.id, parsed.id),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, new Date()),
      ),
    )
    .limit(1);
  if (!row || !verifyTokenSecret(parsed.secret, row.secretHash)) return null;
  if (!row.isActive || row.tokenEmail !== row.userEmail) return null;
  return { id: row.id, userId: row.userId, username: row.username };
}

/**
 * Marks the token used, if nobody else did first: of concurrent uses exactly one gets true.
 * Run it in the transaction that changes the password.
 */
export async function consumeResetToken(db: Database, tokenId: string): Promise<boolean> {
  const updated = await db
    .update(passwordResetTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(passwordResetTokens.id, tokenId),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, new Date()),
      ),
    )
    .returning({ id: passwordResetTokens.id });
  return updated.length > 0;
}

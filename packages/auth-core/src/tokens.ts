import { constantTimeEqual, generateRandomId, hashSecret } from "./crypto.ts";

/** How long a password-reset token stays valid: 1 hour (Django's `PASSWORD_RESET_TIMEOUT` is 3 days). */
export const PASSWORD_RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

/**
 * A freshly generated `<id>.<secret>` token. Give `token` to the client (cookie, email link);
 * store `id` and `secretHash`, never the secret.
 */
export interface GeneratedToken {
  readonly id: string;
  readonly secret: string;
  readonly token: string;
  /** SHA-256 of `secret`, to store next to `id`. */
  readonly secretHash: Uint8Array;
}

/** The two halves of a well-formed token. */
export interface ParsedToken {
  readonly id: string;
  readonly secret: string;
}

// Two base32 (a-z2-7) fields of 32 characters each: exactly what generateToken produces.
const TOKEN_PATTERN = /^([a-z2-7]{32})\.([a-z2-7]{32})$/;
const TOKEN_LENGTH = 65;

/** Generates an `<id>.<secret>` token, each half 160 random bits. */
export function generateToken(): GeneratedToken {
  const id = generateRandomId();
  const secret = generateRandomId();
  return { id, secret, token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}

/**
 * Splits a token from the outside world into id and secret. Returns `null` for anything that is
 * not exactly the generated format (any type, any length); never throws.
 */
export function parseToken(token: unknown): ParsedToken | null {
  if (typeof token !== "string" || token.length !== TOKEN_LENGTH) return null;
  const match = TOKEN_PATTERN.exec(token);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  return { id: match[1], secret: match[2] };
}

/** Whether `secret` hashes to `secretHash`, compared in constant time. */
export function verifyTokenSecret(secret: string, secretHash: Uint8Array): boolean {
  return constantTimeEqual(hashSecret(secret), secretHash);
}

/** Generates a password-reset token (single use; store `id`, `secretHash` and an expiry). */
export function generateResetToken(): GeneratedToken {
  return generateToken();
}

/** Parses a password-reset token from a link; `null` when malformed, never throws. */
export function parseResetToken(token: unknown): ParsedToken | null {
  return parseToken(token);
}

/** When a reset token created at `createdAt` stops being valid. */
export function getResetTokenExpiresAt(createdAt: Date, ttlMs: number = PASSWORD_RESET_TOKEN_TTL_MS): Date {
  return new Date(createdAt.getTime() + ttlMs);
}

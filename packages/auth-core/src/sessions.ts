import { generateToken, parseToken, type GeneratedToken, type ParsedToken } from "./tokens.ts";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** A session unused for this long expires: 14 days (Django's `SESSION_COOKIE_AGE`). */
export const SESSION_INACTIVITY_TIMEOUT_MS = 14 * DAY_MS;

/** No session lives longer than this, however active: 90 days. */
export const SESSION_ABSOLUTE_LIFETIME_MS = 90 * DAY_MS;

/** `lastVerifiedAt` is written at most this often (1 hour), to keep validation read-only. */
export const SESSION_RENEW_THRESHOLD_MS = HOUR_MS;

/** The session timestamps the expiry rules need. */
export interface SessionTimestamps {
  readonly createdAt: Date;
  readonly lastVerifiedAt: Date;
}

/** Session lifetimes; every field defaults to the constants above. */
export interface SessionPolicy {
  readonly inactivityTimeoutMs?: number;
  readonly absoluteLifetimeMs?: number;
  readonly renewThresholdMs?: number;
}

/** Generates a session token `<id>.<secret>`: store `id` and `secretHash`, send `token`. */
export function generateSessionToken(): GeneratedToken {
  return generateToken();
}

/** Parses a session token from a cookie or header; `null` when malformed, never throws. */
export function parseSessionToken(token: unknown): ParsedToken | null {
  return parseToken(token);
}

/** When the session expires: the earlier of the inactivity and the absolute deadline. */
export function getSessionExpiresAt(session: SessionTimestamps, policy: SessionPolicy = {}): Date {
  const inactivity = policy.inactivityTimeoutMs ?? SESSION_INACTIVITY_TIMEOUT_MS;
  const absolute = policy.absoluteLifetimeMs ?? SESSION_ABSOLUTE_LIFETIME_MS;
  return new Date(Math.min(session.lastVerifiedAt.getTime() + inactivity, session.createdAt.getTime() + absolute));
}

/** Whether the session has expired at `now`. */
export function isSessionExpired(
  session: SessionTimestamps,
  now: Date = new Date(),
  policy: SessionPolicy = {},
): boolean {
  return now.getTime() >= getSessionExpiresAt(session, policy).getTime();
}

/** Whether `lastVerifiedAt` is old enough to be written again at `now`. */
export function shouldRenewSession(
  session: SessionTimestamps,
  now: Date = new Date(),
  policy: SessionPolicy = {},
): boolean {
  const threshold = policy.renewThresholdMs ?? SESSION_RENEW_THRESHOLD_MS;
  return now.getTime() - session.lastVerifiedAt.getTime() >= threshold;
}

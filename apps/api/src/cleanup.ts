import { lte, rateLimits, type Database } from "@tsbin/db";
import { deleteExpiredSessions } from "./auth/session-store.ts";
import type { Logger } from "./logger.ts";

/** How often expired sessions and rate-limit counters are swept. */
export const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

/** Deletes expired sessions and spent rate-limit counters; returns how many of each went. */
export async function cleanUpExpired(
  db: Database,
  now: Date = new Date(),
): Promise<{ sessions: number; rateLimits: number }> {
  const sessions = await deleteExpiredSessions(db, now);
  const limits = await db.delete(rateLimits).where(lte(rateLimits.expire, now)).returning({ key: rateLimits.key });
  return { sessions, rateLimits: limits.length };
}

/** Runs {@link cleanUpExpired} periodically; the timer does not keep the process alive. */
export function scheduleCleanup(db: Database, logger: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    cleanUpExpired(db).then(
      (removed) => logger.info(removed, "expired sessions and rate limits removed"),
      (error: unknown) => logger.warn({ err: error }, "clean-up failed; will retry"),
    );
  }, CLEANUP_INTERVAL_MS);
  timer.unref();
  return timer;
}

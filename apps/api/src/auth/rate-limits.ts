import { and, authEvents, eq, gt, rateLimits, type Database } from "@tsbin/db";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";

/** Thrown when a caller is over a limit; the API answers TOO_MANY_REQUESTS with Retry-After. */
export class RateLimitedError extends Error {
  override readonly name = "RateLimitedError";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${formatWait(retryAfterSeconds)}.`);
  }
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
/** An IP from which the account logged in successfully this recently is trusted for it. */
const TRUSTED_IP_DAYS = 30;

/**
 * Whose budget a login attempt spends: the account's when the identifier names one (so `alice`,
 * `ALICE` and her email address share a bucket), else the typed identifier's canonical form.
 */
export interface LoginAccount {
  key: string;
  userId?: number;
}

/** Every limit: points per window (seconds). Documented in the README. */
export const RATE_LIMITS = {
  loginFailuresPerIpAndUsername: { points: 5, duration: 15 * MINUTE },
  loginFailuresPerUsername: { points: 50, duration: HOUR },
  loginFailuresPerIpBurst: { points: 30, duration: 5 * MINUTE },
  loginFailuresPerIp: { points: 300, duration: HOUR },
  signupsPerIp: { points: 20, duration: HOUR },
  resetRequestsPerIp: { points: 20, duration: HOUR },
  resetEmailsPerAddress: { points: 3, duration: HOUR },
  resetTokenFailuresPerIp: { points: 20, duration: 15 * MINUTE },
  passwordCheckFailuresPerUser: { points: 10, duration: 15 * MINUTE },
} as const;

export type LimitName = keyof typeof RATE_LIMITS;

/**
 * The rate limits, kept in the `rate_limits` table so that every API process shares them. `scale`
 * multiplies every budget (benchmarks raise it; 1 in production).
 */
export class RateLimits {
  readonly #limiters: Record<LimitName, RateLimiterDrizzle>;
  readonly #db: Database;

  constructor(db: Database, scale = 1) {
    this.#db = db;
    const entries = Object.entries(RATE_LIMITS).map(([name, limit]) => [
      name,
      new RateLimiterDrizzle({
        storeClient: db,
        schema: rateLimits,
        keyPrefix: name,
        points: Math.max(1, Math.round(limit.points * scale)),
        duration: limit.duration,
        // Expired rows are removed by the periodic clean-up, not by a timer per limiter.
        clearExpiredByTimeout: false,
      }),
    ]);
    this.#limiters = Object.fromEntries(entries) as Record<LimitName, RateLimiterDrizzle>;
  }

  /** Seconds to wait when `key` has used up `name`'s budget, else 0. Consumes nothing. */
  async retryAfter(name: LimitName, key: string): Promise<number> {
    const limiter = this.#limiters[name];
    const state = await limiter.get(key);
    if (!state || state.consumedPoints < limiter.points) return 0;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  /** Throws {@link RateLimitedError} when any of the limits is used up. Consumes nothing. */
  async assertAllowed(checks: readonly [LimitName, string][]): Promise<void> {
    const waits = await Promise.all(checks.map(([name, key]) => this.retryAfter(name, key)));
    const wait = Math.max(0, ...waits);
    if (wait > 0) throw new RateLimitedError(wait);
  }

  /** Counts one event against `name`; throws {@link RateLimitedError} when this one is over budget. */
  async consume(name: LimitName, key: string): Promise<void> {
    try {
      await this.#limiters[name].consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
  }

  /** Counts one event against `name` without refusing it (failures recorded after the fact). */
  async record(name: LimitName, key: string): Promise<void> {
    try {
      await this.#limiters[name].consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    }
  }

  async reset(name: LimitName, key: string): Promise<void> {
    await this.#limiters[name].delete(key);
  }

  /** Gives back one point counted by {@link consume} for an attempt that did not fail. */
  async refund(name: LimitName, key: string): Promise<void> {
    const limiter = this.#limiters[name];
    const state = await limiter.get(key);
    if (state && state.consumedPoints > 0) await limiter.reward(key, 1);
  }

  /**
   * Before a login attempt: counts it against the (IP, account), IP and account budgets, and refuses
   * it when one is used up. Counting before the password is checked, with one atomic increment per
   * budget, is what stops parallel attempts (a batch of ten calls, ten connections) from all passing
   * a check made before any of their failures was recorded; {@link loginSucceeded} gives a
   * successful attempt's points back, so the budgets still count failures. The account-wide limit
   * does not apply from an IP the account recently logged in from, so a stranger who burns the
   * account's budget cannot lock its owner out at home.
   */
  async beginLoginAttempt(ip: string, account: LoginAccount): Promise<void> {
    const [pair, burst, hourly, accountWide] = await Promise.all([
      this.#spend("loginFailuresPerIpAndUsername", `${ip}|${account.key}`),
      this.#spend("loginFailuresPerIpBurst", ip),
      this.#spend("loginFailuresPerIp", ip),
      this.#spend("loginFailuresPerUsername", account.key),
    ]);
    const wait = Math.max(pair, burst, hourly);
    if (wait > 0) throw new RateLimitedError(wait);
    if (accountWide > 0 && !(account.userId !== undefined && (await this.#isTrustedIp(ip, account.userId)))) {
      throw new RateLimitedError(accountWide);
    }
  }

  /** After a successful login: forgets the (IP, account) failures and gives back the attempt's points. */
  async loginSucceeded(ip: string, accountKey: string): Promise<void> {
    await Promise.all([
      this.reset("loginFailuresPerIpAndUsername", `${ip}|${accountKey}`),
      this.refund("loginFailuresPerIpBurst", ip),
      this.refund("loginFailuresPerIp", ip),
      this.refund("loginFailuresPerUsername", accountKey),
    ]);
  }

  /** Counts one point; the seconds to wait when that went over budget, else 0. */
  async #spend(name: LimitName, key: string): Promise<number> {
    try {
      await this.#limiters[name].consume(key);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }

  async #isTrustedIp(ip: string, userId: number): Promise<boolean> {
    const since = new Date(Date.now() - TRUSTED_IP_DAYS * 24 * HOUR * 1000);
    const [row] = await this.#db
      .select({ id: authEvents.id })
      .from(authEvents)
      .where(
        and(
          eq(authEvents.userId, userId),
          eq(authEvents.type, "userLoggedIn"),
          eq(authEvents.ipAddress, ip),
          gt(authEvents.createdAt, since),
        ),
      )
      .limit(1);
    return row !== undefined;
  }
}

import type { DbHandle } from "@tsbin/db";
import { createHash } from "node:crypto";
import { retryOnDeadlock } from "./db-errors.ts";
import type { SqlFragment } from "./sql-fragment.ts";
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

/** Runs SQL with `$n` parameters and returns the rows ({@link DbHandle.query}). */
export type RunSql = DbHandle["query"];

/** The `rate_limits` table's key column is varchar(255). */
const MAX_STORED_KEY = 255;

/** One counter: the limit it belongs to and whose budget (an IP, an account, both). */
type Counter = readonly [name: LimitName, key: string];

interface CounterRow extends Record<string, unknown> {
  key: string;
  points: number;
  expire: Date | null;
}

/**
 * The rate limits, kept in the `rate_limits` table so that every API process shares them: one row
 * per counter (`<limit>:<key>`, points, end of window), the layout rate-limiter-flexible uses. All
 * the counters one attempt touches are counted in a single statement, because each statement is a
 * round trip and a commit: a login's four are counted by the statement that also finds the account,
 * and given back by the one that writes the login. `scale` multiplies every budget (benchmarks raise
 * it; 1 in production).
 */
export class RateLimits {
  readonly #sql: RunSql;
  readonly #points: Record<LimitName, number>;

  constructor(sqlRunner: RunSql, scale = 1) {
    this.#sql = sqlRunner;
    this.#points = Object.fromEntries(
      Object.entries(RATE_LIMITS).map(([name, limit]) => [name, Math.max(1, Math.round(limit.points * scale))]),
    ) as Record<LimitName, number>;
  }

  /** Counts one event against `name`; throws {@link RateLimitedError} when this one is over budget. */
  async consume(name: LimitName, key: string): Promise<void> {
    const [wait = 0] = await this.#spend([[name, key]]);
    if (wait > 0) throw new RateLimitedError(wait);
  }

  /** Gives back one point counted by {@link consume} for an attempt that did not fail. */
  async refund(name: LimitName, key: string): Promise<void> {
    await this.#sql(
      "update rate_limits set points = points - 1 where key = $1 and points > 0 and (expire is null or expire > $2)",
      [storedKey(name, key), new Date()],
    );
  }

  /**
   * Before a login attempt: finds the account the form names with `lookup`, counts the attempt against
   * the (IP, account), IP and account budgets, and refuses it when one is used up — in one statement,
   * so that a login makes one round trip and one commit before its hash. The account's budgets are
   * `user:<id>` of the row `lookup` finds, else `unknownAccountKey` (the typed identifier's canonical
   * form). Returns that row (null when none) and the account.
   *
   * Counting before the password is checked, with one atomic increment per budget, is what stops
   * parallel attempts (a batch of ten calls, ten connections) from all passing a check made before
   * any of their failures was recorded; {@link loginSucceeded} gives a successful attempt's points
   * back, so the budgets still count failures. The account-wide limit does not apply from an IP the
   * account recently logged in from, so a stranger who burns the account's budget cannot lock its
   * owner out at home.
   */
  async beginLoginAttempt(
    ip: string,
    unknownAccountKey: string,
    lookup: AccountLookup,
  ): Promise<{ row: Record<string, unknown> | null; account: LoginAccount }> {
    const now = new Date();
    const expire = (name: LimitName) => new Date(now.getTime() + RATE_LIMITS[name].duration * 1000);
    // A user id has at most 10 digits; the client's address at most 64 characters (clientIp).
    const pairPrefix = `loginFailuresPerIpAndUsername:${ip}|user:`;
    if (pairPrefix.length + 10 > MAX_STORED_KEY) throw new Error("The client address is too long for a counter key.");
    const userPrefix = "loginFailuresPerUsername:user:";
    const unknown = {
      pair: storedKey("loginFailuresPerIpAndUsername", `${ip}|${unknownAccountKey}`),
      accountWide: storedKey("loginFailuresPerUsername", unknownAccountKey),
    };
    const burst = storedKey("loginFailuresPerIpBurst", ip);
    const hourly = storedKey("loginFailuresPerIp", ip);
    const first = lookup.params.length + 1;
    const [row] = await retryOnDeadlock(() =>
      this.#sql<LoginAttemptRow>(loginAttemptSql(lookup, first), [
        ...lookup.params,
        now,
        pairPrefix,
        unknown.pair,
        expire("loginFailuresPerIpAndUsername"),
        burst,
        expire("loginFailuresPerIpBurst"),
        hourly,
        expire("loginFailuresPerIp"),
        userPrefix,
        unknown.accountWide,
        expire("loginFailuresPerUsername"),
      ]),
    );
    if (!row) throw new Error("The login statement returned no row.");
    const { rate_limit_counters: counters, ...found } = row;
    const userId = typeof found.id === "number" ? found.id : undefined;
    const account: LoginAccount = userId === undefined ? { key: unknownAccountKey } : { key: `user:${userId}`, userId };
    const byKey = new Map(
      counters.map(([key, points, expire]) => [key, { points, expire: expire === null ? null : new Date(expire) }]),
    );
    const wait = (name: LimitName, key: string): number => this.#wait(name, byKey.get(key));
    const overIpBudget = Math.max(
      wait("loginFailuresPerIpAndUsername", userId === undefined ? unknown.pair : `${pairPrefix}${userId}`),
      wait("loginFailuresPerIpBurst", burst),
      wait("loginFailuresPerIp", hourly),
    );
    if (overIpBudget > 0) {
      // An attempt its own address may not make tries no password, so it does not spend the account's
      // budget: one address cannot add more than its five failures to the account-wide count.
      await this.refund("loginFailuresPerUsername", account.key);
      throw new RateLimitedError(overIpBudget);
    }
    const accountWide = wait(
      "loginFailuresPerUsername",
      userId === undefined ? unknown.accountWide : `${userPrefix}${userId}`,
    );
    if (accountWide > 0 && !(userId !== undefined && (await this.#isTrustedIp(ip, userId)))) {
      throw new RateLimitedError(accountWide);
    }
    return { row: userId === undefined ? null : found, account };
  }

  /**
   * After a successful login: forgets the (IP, account) failures (their count goes back to 0) and gives
   * back the attempt's points. It is a part of the login's own statement (`writeLogin`), so a login
   * ends with one round trip and one commit; its subquery locks the four rows in key order, as
   * {@link #spend} does, so the two cannot deadlock on them.
   */
  loginSucceeded(ip: string, accountKey: string): SqlFragment {
    return {
      sql: (first) => {
        const [forgotten, burst, hourly, accountWide, now] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
        return `update rate_limits as r
            set points = case when r.key = ${forgotten} then 0 else r.points - 1 end
           from (select key from rate_limits
                  where key in (${forgotten}, ${burst}, ${hourly}, ${accountWide})
                    and (expire is null or expire > ${now}::timestamptz)
                  order by key
                    for update) as locked
          where r.key = locked.key and (r.key = ${forgotten} or r.points > 0)`;
      },
      params: [
        storedKey("loginFailuresPerIpAndUsername", `${ip}|${accountKey}`),
        storedKey("loginFailuresPerIpBurst", ip),
        storedKey("loginFailuresPerIp", ip),
        storedKey("loginFailuresPerUsername", accountKey),
        new Date(),
      ],
    };
  }

  /**
   * Counts one point on each counter in one statement: a counter whose window has passed starts
   * again at 1. Returns, per counter in order, the seconds to wait when it went over budget, else 0.
   * Rows are written in the database's key order, so statements sharing counters lock them in the
   * same order; a deadlock PostgreSQL still reports (it resolves one by cancelling a statement) is
   * retried.
   */
  async #spend(counters: readonly Counter[]): Promise<number[]> {
    const now = new Date();
    const rows = counters.map(([name, key]) => ({
      key: storedKey(name, key),
      expire: new Date(now.getTime() + RATE_LIMITS[name].duration * 1000),
    }));
    const values = rows.map((_, i) => `($${2 * i + 2}::text, $${2 * i + 3}::timestamptz)`).join(", ");
    const counted = await retryOnDeadlock(() =>
      this.#sql<CounterRow>(countSql(`values ${values}`, "$1"), [now, ...rows.flatMap((row) => [row.key, row.expire])]),
    );
    const byKey = new Map(counted.map((row) => [row.key, row]));
    return counters.map(([name, key]) => this.#wait(name, byKey.get(storedKey(name, key))));
  }

  /** Seconds to wait when `counted` (the counter of limit `name` after this attempt) is over budget, else 0. */
  #wait(name: LimitName, counted: { points: number; expire: Date | null } | undefined): number {
    return counted && counted.points > this.#points[name] ? waitSeconds(counted.expire) : 0;
  }

  async #isTrustedIp(ip: string, userId: number): Promise<boolean> {
    const since = new Date(Date.now() - TRUSTED_IP_DAYS * 24 * HOUR * 1000);
    const rows = await this.#sql(
      `select 1 from auth_events
        where user_id = $1 and type = 'userLoggedIn' and ip_address = $2 and created_at > $3 limit 1`,
      [userId, ip, since],
    );
    return rows.length > 0;
  }
}

/**
 * The account lookup {@link RateLimits.beginLoginAttempt} carries: a `select` of at most one row,
 * the account, with its user id as `id`.
 */
export type AccountLookup = SqlFragment;

interface LoginAttemptRow extends Record<string, unknown> {
  /** The found account's id; null when there is none. */
  id: unknown;
  rate_limit_counters: [key: string, points: number, expire: string | null][];
}

/**
 * Counts one point on each counter that `rows` (a query of `(key, expire)` rows) names: a counter
 * whose window has passed at `now` starts again at 1. Rows are written in key order, so statements
 * sharing counters lock them in the same order. Returns `key, points, expire` per counter.
 */
function countSql(rows: string, now: string): string {
  return `insert into rate_limits (key, points, expire)
  select v.key, 1, v.expire from (${rows}) as v (key, expire)
  order by v.key
  on conflict (key) do update set
    points = case when rate_limits.expire <= ${now} then 1 else rate_limits.points + 1 end,
    expire = case when rate_limits.expire <= ${now} then excluded.expire else rate_limits.expire end
  returning key, points, expire`;
}

/**
 * The login attempt's statement: the lookup, then the four counters counted as in
 * {@link RateLimits.#spend} (in key order, a passed window starting again at 1), their account keys
 * made of the found user's id or else the unknown account's. One row comes back whether or not the
 * account exists: its columns (null when not found) and the counters as JSON.
 */
function loginAttemptSql(lookup: AccountLookup, first: number): string {
  const p = (offset: number) => `$${first + offset}`;
  return `with found as (${lookup.sql(1)}),
counted as (${countSql(
    `select coalesce(${p(1)}::text || (select id from found), ${p(2)}::text), ${p(3)}::timestamptz
     union all select ${p(4)}::text, ${p(5)}::timestamptz
     union all select ${p(6)}::text, ${p(7)}::timestamptz
     union all select coalesce(${p(8)}::text || (select id from found), ${p(9)}::text), ${p(10)}::timestamptz`,
    `${p(0)}::timestamptz`,
  )})
select found.*, (select json_agg(json_build_array(c.key, c.points, c.expire)) from counted as c) as rate_limit_counters
  from (select 1) as one left join found on true`;
}

/**
 * A counter's row key, `<limit>:<key>`. A key too long for the column (an IP with a long typed
 * identifier) is replaced by its SHA-256, so any input maps to a valid, distinct row.
 */
function storedKey(name: LimitName, key: string): string {
  const stored = `${name}:${key}`;
  if (stored.length <= MAX_STORED_KEY) return stored;
  return `${name}:sha256:${createHash("sha256").update(key, "utf8").digest("hex")}`;
}

/** Whole seconds until `expire` (at least 1), for Retry-After. */
function waitSeconds(expire: Date | null): number {
  if (expire === null) return 1;
  return Math.max(1, Math.ceil((expire.getTime() - Date.now()) / 1000));
}

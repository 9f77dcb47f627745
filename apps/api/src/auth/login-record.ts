import type { DbHandle } from "@tsbin/db";
import { retryOnDeadlock } from "./db-errors.ts";
import type { AuditRow } from "./hooks.ts";
import type { NewSession } from "./session-store.ts";
import type { SqlFragment } from "./sql-fragment.ts";

export interface LoginRecord {
  /** The session the request came with, ended whoever it belonged to (no fixation). */
  endedSessionId: string | null;
  started: NewSession;
  /**
   * The password hash the login was checked against. The login is written only if the user still
   * has it and is still active: a password change, reset or deactivation that commits while the
   * password is being checked must not leave a session made with the old password behind.
   */
  checkedPasswordHash: string;
  audit: AuditRow;
}

/**
 * Everything Django's `login()` writes, as one statement: the old session ends, the new one is
 * stored, `last_login` is stamped, outstanding reset tokens are spent and the `userLoggedIn` audit
 * row is written. One statement is one round trip and one commit instead of five, on the path every
 * login and sign-up takes, and the writes land together or not at all. Other writes that belong to the
 * login (the rate limits' refund) ride along as further CTEs.
 *
 * `stamped` is the guard, and comes first: its update waits for a password change or reset that
 * holds the user's row, then checks the hash again on the row as committed. Those write the password
 * before they delete the sessions, so either this login's session exists by the time they delete,
 * or nothing here is written. The casts type the parameters that no column types for them.
 */
const LOGIN_CTES = `
with stamped as (
  update users set last_login = $5 where id = $4 and password = $14 and is_active returning id
), ended as (
  delete from sessions where id = $1 and exists (select from stamped)
), started as (
  insert into sessions (id, secret_hash, user_id, created_at, last_verified_at, expires_at, user_agent, ip_address)
  select $2::varchar, $3::bytea, id, $5, $5, $6::timestamptz, $7::varchar, $8::varchar from stamped
), spent_tokens as (
  update password_reset_tokens set used_at = $5 where user_id = $4 and used_at is null and exists (select from stamped)
)`;
const LOGIN_AUDIT = `
insert into auth_events (type, user_id, username, ip_address, user_agent, detail, created_at)
select $9::varchar, id, $10::varchar, $11::varchar, $12::varchar, $13::text, $5 from stamped
returning user_id`;
const LOGIN_PARAMS = 14;

/**
 * Writes the login, and `also` in the same statement; false when the user's password or active flag
 * changed since it was checked, and no session was started (`also` is written either way).
 * PostgreSQL may cancel a statement to break a deadlock when `also` locks rows that another login's
 * statement holds; it then wrote nothing and is run again.
 */
export async function writeLogin(
  run: DbHandle["query"],
  record: LoginRecord,
  also: readonly SqlFragment[] = [],
): Promise<boolean> {
  const { session, secretHash, userAgent, ipAddress } = record.started;
  const { audit } = record;
  let next = LOGIN_PARAMS + 1;
  const extraCtes = also.map((fragment, i) => {
    const cte = `, also_${i} as (${fragment.sql(next)})`;
    next += fragment.params.length;
    return cte;
  });
  const text = LOGIN_CTES + extraCtes.join("") + LOGIN_AUDIT;
  const params = [
    record.endedSessionId,
    session.id,
    secretHash,
    session.userId,
    session.createdAt,
    session.expiresAt,
    userAgent,
    ipAddress,
    audit.type,
    audit.username,
    audit.ipAddress,
    audit.userAgent,
    audit.detail,
    record.checkedPasswordHash,
    ...also.flatMap((fragment) => fragment.params),
  ];
  const written = await retryOnDeadlock(() => run(text, params));
  return written.length > 0;
}

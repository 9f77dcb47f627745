import type { DbHandle } from "@tsbin/db";
import { retryOnDeadlock } from "./db-errors.ts";
import type { AuditRow } from "./hooks.ts";
import type { NewSession } from "./session-store.ts";
import type { SqlFragment } from "./sql-fragment.ts";

export interface LoginRecord {
  /** The session the request came with, ended whoever it belonged to (no fixation). */
  endedSessionId: string | null;
  started: NewSession;
  audit: AuditRow;
}

/**
 * Everything Django's `login()` writes, as one statement: the old session ends, the new one is
 * stored, `last_login` is stamped, outstanding reset tokens are spent and the `userLoggedIn` audit
 * row is written. One statement is one round trip and one commit instead of five, on the path every
 * login and sign-up takes, and the writes land together or not at all. Other writes that belong to the
 * login (the rate limits' refund) ride along as further CTEs.
 */
const LOGIN_CTES = `
with ended as (
  delete from sessions where id = $1
), started as (
  insert into sessions (id, secret_hash, user_id, created_at, last_verified_at, expires_at, user_agent, ip_address)
  values ($2, $3, $4, $5, $5, $6, $7, $8)
), stamped as (
  update users set last_login = $5 where id = $4
), spent_tokens as (
  update password_reset_tokens set used_at = $5 where user_id = $4 and used_at is null
)`;
const LOGIN_AUDIT = `
insert into auth_events (type, user_id, username, ip_address, user_agent, detail, created_at)
values ($9, $4, $10, $11, $12, $13, $5)`;
const LOGIN_PARAMS = 13;

/**
 * Writes the login, and `also` in the same statement. PostgreSQL may cancel a statement to break a
 * deadlock when `also` locks rows that another login's statement holds; it then wrote nothing and
 * is run again.
 */
export async function writeLogin(
  run: DbHandle["query"],
  record: LoginRecord,
  also: readonly SqlFragment[] = [],
): Promise<void> {
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
    ...also.flatMap((fragment) => fragment.params),
  ];
  await retryOnDeadlock(() => run(text, params));
}

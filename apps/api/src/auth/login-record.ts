import type { DbHandle } from "@tsbin/db";
import type { AuditRow } from "./hooks.ts";
import type { NewSession } from "./session-store.ts";

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
 * login and sign-up takes, and the writes land together or not at all.
 */
const LOGIN_SQL = `
with ended as (
  delete from sessions where id = $1
), started as (
  insert into sessions (id, secret_hash, user_id, created_at, last_verified_at, expires_at, user_agent, ip_address)
  values ($2, $3, $4, $5, $5, $6, $7, $8)
), stamped as (
  update users set last_login = $5 where id = $4
), spent_tokens as (
  update password_reset_tokens set used_at = $5 where user_id = $4 and used_at is null
)
insert into auth_events (type, user_id, username, ip_address, user_agent, detail, created_at)
values ($9, $4, $10, $11, $12, $13, $5)`;

export async function writeLogin(run: DbHandle["query"], record: LoginRecord): Promise<void> {
  const { session, secretHash, userAgent, ipAddress } = record.started;
  const { audit } = record;
  await run(LOGIN_SQL, [
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
  ]);
}

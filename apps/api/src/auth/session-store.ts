import { getSessionExpiresAt, shouldRenewSession, type User } from "@tsbin/auth-core";
import { constantTimeEqual, generateSessionToken, hashSecret, parseSessionToken } from "@tsbin/auth-core/server";
import { and, desc, eq, lte, ne, sessions, type Database, type DbHandle } from "@tsbin/db";
import { BatchedLookup } from "./session-lookup.ts";
import { userFromSqlColumns, type UserSqlColumns } from "./user-row.ts";

/** A validated session, as the API context carries it. */
export interface Session {
  id: string;
  userId: number;
  createdAt: Date;
  lastVerifiedAt: Date;
  expiresAt: Date;
}

export interface SessionMeta {
  userAgent: string;
  ipAddress: string;
}

export interface ValidatedSession {
  session: Session;
  user: User;
  /** True when this validation extended the session: the cookie must be sent again. */
  renewed: boolean;
}

const MAX_USER_AGENT = 512;

/** A session about to be stored: what the cookie carries and what the `sessions` row holds. */
export interface NewSession {
  token: string;
  session: Session;
  secretHash: Uint8Array;
  userAgent: string;
  ipAddress: string;
}

/** A fresh session for the user (never reusing one: no fixation), not yet stored. */
export function newSession(userId: number, meta: SessionMeta): NewSession {
  const { id, token, secretHash } = generateSessionToken();
  const now = new Date();
  const session: Session = {
    id,
    userId,
    createdAt: now,
    lastVerifiedAt: now,
    expiresAt: getSessionExpiresAt({ createdAt: now, lastVerifiedAt: now }),
  };
  return { token, session, secretHash, userAgent: meta.userAgent.slice(0, MAX_USER_AGENT), ipAddress: meta.ipAddress };
}

/**
 * The validation query. It runs for every request, so it goes to the driver directly: postgres.js
 * prepares it once per connection (as the benchmark's floor does), without Drizzle's query object
 * and row mapping around it. Requests of the same turn of the event loop share one statement
 * ({@link BatchedLookup}); a request alone in its turn sends the single-id form.
 */
const VALIDATION_COLUMNS = `
select s.id, s.secret_hash, s.created_at, s.last_verified_at, s.expires_at,
       u.id as user_id, u.username, u.email, u.first_name, u.last_name,
       u.is_active, u.is_staff, u.is_superuser, u.date_joined, u.last_login
  from sessions s join users u on u.id = s.user_id`;
const VALIDATION_SQL = `${VALIDATION_COLUMNS}
 where s.id = $1`;
/** Several sessions at once: the ids joined by commas (session ids are base32, never a comma). */
const BATCH_VALIDATION_SQL = `${VALIDATION_COLUMNS}
 where s.id = any(string_to_array($1::text, ','))`;

const lookups = new WeakMap<SessionDatabase, BatchedLookup<ValidationRow>>();

/** The database's session lookup, shared by every request that checks a session on it. */
function sessionRows(database: SessionDatabase): BatchedLookup<ValidationRow> {
  let lookup = lookups.get(database);
  if (!lookup) {
    lookup = new BatchedLookup<ValidationRow>((ids) =>
      ids.length === 1
        ? database.query<ValidationRow>(VALIDATION_SQL, [ids[0]])
        : database.query<ValidationRow>(BATCH_VALIDATION_SQL, [ids.join(",")]),
    );
    lookups.set(database, lookup);
  }
  return lookup;
}

interface ValidationRow extends Record<string, unknown>, UserSqlColumns {
  id: string;
  secret_hash: Uint8Array;
  created_at: Date;
  last_verified_at: Date;
  expires_at: Date;
  user_id: number;
}

/** What the session check needs of the database: Drizzle for its rare writes, raw SQL for the check. */
export type SessionDatabase = Pick<DbHandle, "db" | "query">;

/**
 * Validates a token from a cookie in one indexed query that also returns the user. Expired sessions
 * are deleted; sessions of inactive users do not authenticate. Renewal writes at most once an hour.
 */
export async function validateSessionToken(database: SessionDatabase, token: string): Promise<ValidatedSession | null> {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;
  const row = await sessionRows(database).find(parsed.id);
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(parsed.secret), row.secret_hash)) return null;
  const now = new Date();
  const expiresAt = row.expires_at;
  if (expiresAt.getTime() <= now.getTime()) {
    await database.db.delete(sessions).where(eq(sessions.id, row.id));
    return null;
  }
  if (!row.is_active) return null;
  const session: Session = {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    lastVerifiedAt: row.last_verified_at,
    expiresAt,
  };
  let renewed = false;
  if (shouldRenewSession(session, now)) {
    session.lastVerifiedAt = now;
    session.expiresAt = getSessionExpiresAt(session);
    await database.db
      .update(sessions)
      .set({ lastVerifiedAt: session.lastVerifiedAt, expiresAt: session.expiresAt })
      .where(eq(sessions.id, session.id));
    renewed = true;
  }
  const user = userFromSqlColumns(row.user_id, row);
  return { session, user, renewed };
}

export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of the user, or every one but `exceptSessionId`. Returns how many ended. */
export async function invalidateUserSessions(db: Database, userId: number, exceptSessionId?: string): Promise<number> {
  const where = exceptSessionId
    ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
    : eq(sessions.userId, userId);
  const deleted = await db.delete(sessions).where(where).returning({ id: sessions.id });
  return deleted.length;
}

/** Ends one of the user's sessions by id; false when the user has no such session. */
export async function revokeUserSession(db: Database, userId: number, sessionId: string): Promise<boolean> {
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  return deleted.length > 0;
}

export interface SessionSummary {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string;
  ipAddress: string;
}

/** The user's live sessions, most recently used first. */
export async function listUserSessions(db: Database, userId: number): Promise<SessionSummary[]> {
  const rows = await db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastVerifiedAt,
      expiresAt: sessions.expiresAt,
      userAgent: sessions.userAgent,
      ipAddress: sessions.ipAddress,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastVerifiedAt));
  const now = Date.now();
  return rows.filter((row) => row.expiresAt.getTime() > now);
}

/** Deletes every expired session (Django's `clearsessions`). Returns how many went. */
export async function deleteExpiredSessions(db: Database, now: Date = new Date()): Promise<number> {
  const deleted = await db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id });
  return deleted.length;
}

import { ANONYMOUS_USER } from "@tsbin/auth-core";
import type { Context, MiddlewareHandler } from "hono";
import {
  clearedSessionCookie,
  readSessionToken,
  sessionCookie,
  type SessionCookieOptions,
} from "../auth/session-cookie.ts";
import { validateSessionToken, type SessionDatabase } from "../auth/session-store.ts";
import type { RequestAuth } from "../trpc/context.ts";

export type SessionVariables = { auth: RequestAuth };

/**
 * Django's SessionMiddleware + AuthenticationMiddleware: reads the session cookie, validates it
 * (one query), and sets `c.var.auth` to the user — or to the anonymous user, never null. A renewed
 * session gets its cookie again; a cookie that no longer names a session is cleared.
 */
export function sessionMiddleware(
  db: SessionDatabase,
  cookie: SessionCookieOptions,
): MiddlewareHandler<{ Variables: SessionVariables }> {
  return async function session(c, next) {
    // Already settled by `auth.me`'s fast path, whose session check failed: checking again would make
    // the request wait for the database twice.
    if ((c.get("auth") as RequestAuth | undefined) !== undefined) return next();
    const token = readSessionToken(c, cookie);
    if (token === undefined) {
      c.set("auth", { user: ANONYMOUS_USER, session: null });
      return next();
    }
    try {
      const resolved = await resolveSession(db, token, cookie);
      c.set("auth", resolved.auth);
      if (resolved.setCookie !== undefined) c.header("Set-Cookie", resolved.setCookie, { append: true });
    } catch (error) {
      settleFailedSessionCheck(c, error);
    }
    return next();
  };
}

/**
 * Records that the request's session could not be checked (the database cannot say), for the
 * session middleware further down the chain, which then answers as if it had failed itself.
 */
export function settleFailedSessionCheck(c: Context<{ Variables: SessionVariables }>, error: unknown): void {
  c.set("auth", { user: ANONYMOUS_USER, session: null, error });
}

export interface ResolvedSession {
  auth: RequestAuth;
  /** The cookie to send back: the token again when the session was renewed, a clearing one when it is gone. */
  setCookie?: string;
}

/** Who a session cookie names, and what to answer with. Throws when the database cannot say. */
export async function resolveSession(
  db: SessionDatabase,
  token: string,
  cookie: SessionCookieOptions,
): Promise<ResolvedSession> {
  const validated = await validateSessionToken(db, token);
  if (!validated) {
    return {
      auth: { user: ANONYMOUS_USER, session: null, cookieCleared: true },
      setCookie: clearedSessionCookie(cookie),
    };
  }
  const auth = { user: validated.user, session: validated.session };
  if (!validated.renewed) return { auth };
  return { auth, setCookie: sessionCookie(token, validated.session.expiresAt, cookie) };
}

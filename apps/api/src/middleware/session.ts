import { ANONYMOUS_USER } from "@tsbin/auth-core";
import type { MiddlewareHandler } from "hono";
import {
  clearedSessionCookie,
  readSessionToken,
  sessionCookie,
  type SessionCookieOptions,
} from "../auth/session-cookie.ts";
import { validateSessionToken } from "../auth/session-store.ts";
import type { Database } from "@tsbin/db";
import type { RequestAuth } from "../trpc/context.ts";

export type SessionVariables = { auth: RequestAuth };

/**
 * Django's SessionMiddleware + AuthenticationMiddleware: reads the session cookie, validates it
 * (one query), and sets `c.var.auth` to the user — or to the anonymous user, never null. A renewed
 * session gets its cookie again; a cookie that no longer names a session is cleared.
 */
export function sessionMiddleware(
  db: Database,
  cookie: SessionCookieOptions,
): MiddlewareHandler<{ Variables: SessionVariables }> {
  return async function session(c, next) {
    const token = readSessionToken(c, cookie);
    if (token === undefined) {
      c.set("auth", { user: ANONYMOUS_USER, session: null });
      return next();
    }
    try {
      const validated = await validateSessionToken(db, token);
      if (validated) {
        c.set("auth", { user: validated.user, session: validated.session });
        if (validated.renewed)
          c.header("Set-Cookie", sessionCookie(token, validated.session.expiresAt, cookie), { append: true });
      } else {
        c.set("auth", { user: ANONYMOUS_USER, session: null });
        c.header("Set-Cookie", clearedSessionCookie(cookie), { append: true });
      }
    } catch (error) {
      c.set("auth", { user: ANONYMOUS_USER, session: null, error });
    }
    return next();
  };
}

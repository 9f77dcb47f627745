import type { User } from "@tsbin/auth-core";
import { clearedSessionCookie, sessionCookie, type SessionCookieOptions } from "../auth/session-cookie.ts";
import { auditRow } from "../auth/hooks.ts";
import { writeLogin } from "../auth/login-record.ts";
import type { SqlFragment } from "../auth/sql-fragment.ts";
import { invalidateSession, newSession, type Session } from "../auth/session-store.ts";
import type { Env } from "../env.ts";
import type { Context } from "./context.ts";

/** Secure cookies (and the `__Host-` name) whenever the site is served over https. */
export function cookieOptions(env: Pick<Env, "publicUrl">): SessionCookieOptions {
  return { secure: env.publicUrl.startsWith("https:") };
}

/**
 * Django's `login()`: ends the session the request came with (whoever it belonged to), starts a new
 * one, sets its cookie, stamps `last_login`, and invalidates outstanding reset tokens. `also` are
 * further writes made in the same statement. Null, with nothing written but `also`, when the user no
 * longer has `checkedPasswordHash` or is no longer active: the password was changed or reset, or
 * the user deactivated, while it was being checked.
 */
export async function logUserIn(
  ctx: Context,
  user: User,
  checkedPasswordHash: string,
  also: readonly SqlFragment[] = [],
): Promise<Session | null> {
  const started = newSession(user.id, ctx.meta);
  const event = { user: { ...user, lastLogin: started.session.createdAt }, meta: ctx.meta, db: ctx.db };
  const written = await writeLogin(
    (text, params) => ctx.services.database.query(text, params),
    {
      endedSessionId: ctx.session?.id ?? null,
      started,
      checkedPasswordHash,
      audit: auditRow("userLoggedIn", event),
    },
    also,
  );
  if (!written) return null;
  ctx.resHeaders.append(
    "Set-Cookie",
    sessionCookie(started.token, started.session.expiresAt, cookieOptions(ctx.settings)),
  );
  await ctx.services.hooks.notify("userLoggedIn", event);
  return started.session;
}

/** Django's `logout()`: deletes the session server-side and clears the cookie. */
export async function logUserOut(ctx: Context): Promise<void> {
  if (ctx.session) await invalidateSession(ctx.db, ctx.session.id);
  // Once is enough: a cookie that named no session is already being cleared by the session middleware.
  if (!ctx.sessionCookieCleared) ctx.resHeaders.append("Set-Cookie", clearedSessionCookie(cookieOptions(ctx.settings)));
  if (ctx.user.isAuthenticated) {
    await ctx.services.hooks.emit("userLoggedOut", { user: ctx.user, meta: ctx.meta, db: ctx.db });
  }
}

import { getCookie } from "hono/cookie";
import type { Context } from "hono";
import { serialize } from "hono/utils/cookie";

/** The cookie's name over plain HTTP (development, tests). */
export const SESSION_COOKIE = "session";
/** Over HTTPS the `__Host-` prefix makes the browser insist on Secure, Path=/ and no Domain. */
export const SECURE_SESSION_COOKIE = "__Host-session";

export interface SessionCookieOptions {
  /** True when PUBLIC_URL is https. */
  secure: boolean;
}

export function sessionCookieName(options: SessionCookieOptions): string {
  return options.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The session token the browser sent, if any (not yet validated). */
export function readSessionToken(c: Context, options: SessionCookieOptions): string | undefined {
  return getCookie(c, sessionCookieName(options));
}

/** A `Set-Cookie` value that stores the token until `expiresAt`. */
export function sessionCookie(token: string, expiresAt: Date, options: SessionCookieOptions): string {
  return serialize(sessionCookieName(options), token, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure: options.secure,
    expires: expiresAt,
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

/** A `Set-Cookie` value that makes the browser forget the session. */
export function clearedSessionCookie(options: SessionCookieOptions): string {
  return serialize(sessionCookieName(options), "", {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure: options.secure,
    expires: new Date(0),
    maxAge: 0,
  });
}

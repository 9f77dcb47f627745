import type { Context } from "hono";
import { parse, serialize } from "hono/utils/cookie";

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
  const header = c.req.raw.headers.get("Cookie");
  return header ? namedCookie(header, sessionCookieName(options)) : undefined;
}

/** Hono's test for a cookie value it keeps as it is sent (RFC 6265 cookie-octets, plus space and comma). */
const PLAIN_COOKIE_VALUE = /^[ !#-:<-[\]-~]*$/;

/**
 * What hono's `getCookie(c, name)` answers, without splitting the whole header into a record on every
 * request (a microsecond of the session check, which every request makes). The first pair with
 * that name decides when its value is plain, as the session token always is; anything hono would
 * unquote, decode or skip is left to hono's own parser. A test checks both agree.
 */
export function namedCookie(header: string, name: string): string | undefined {
  if (header.indexOf(name) === -1) return undefined;
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(";", start);
    if (end === -1) end = header.length;
    const equals = header.indexOf("=", start);
    if (equals !== -1 && equals < end && trimSpaceAndTab(header.slice(start, equals)) === name) {
      const value = trimSpaceAndTab(header.slice(equals + 1, end));
      if (value.indexOf("%") === -1 && PLAIN_COOKIE_VALUE.test(value)) return value;
      return parse(header, name)[name];
    }
    start = end + 1;
  }
  return undefined;
}

/** Hono trims only spaces and tabs around cookie names and values (not `String#trim`'s wider set). */
function trimSpaceAndTab(text: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to--;
  return from === 0 && to === text.length ? text : text.slice(from, to);
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

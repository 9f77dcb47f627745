import type { MiddlewareHandler } from "hono";

/** A response header as a `[name, value]` pair, in lower case as HTTP/2 and Node's Headers use. */
export type HeaderEntry = readonly [name: string, value: string];

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The headers every response carries (OWASP's secure-headers set, as helmet and Hono's
 * secureHeaders send it): a strict same-origin CSP, no framing, no sniffing, no cross-origin
 * embedding, and HSTS when the site is served over HTTPS. Computed once per process: the same
 * list is set by {@link securityHeaders} and copied by the `auth.me` fast path.
 */
export function securityHeaderEntries(options: { https: boolean }): readonly HeaderEntry[] {
  const entries: HeaderEntry[] = [
    ["content-security-policy", CONTENT_SECURITY_POLICY],
    ["cross-origin-opener-policy", "same-origin"],
    ["cross-origin-resource-policy", "same-origin"],
    ["origin-agent-cluster", "?1"],
    ["referrer-policy", "same-origin"],
    ["x-content-type-options", "nosniff"],
    ["x-dns-prefetch-control", "off"],
    ["x-download-options", "noopen"],
    ["x-frame-options", "DENY"],
    ["x-permitted-cross-domain-policies", "none"],
    ["x-xss-protection", "0"],
  ];
  if (options.https) entries.push(["strict-transport-security", "max-age=63072000; includeSubDomains"]);
  return entries;
}

/** Sets the security headers on every response, replacing any a handler set. */
export function securityHeaders(entries: readonly HeaderEntry[]): MiddlewareHandler {
  return async function setSecurityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    for (const [name, value] of entries) headers.set(name, value);
  };
}

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
 * The headers an HTML document carries (OWASP's secure-headers set, as helmet and Hono's
 * secureHeaders send it): a strict same-origin CSP, no framing, no sniffing, no cross-origin
 * embedding or opener; plus HSTS when the site is served over HTTPS.
 */
const DOCUMENT_HEADERS: readonly HeaderEntry[] = [
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

/**
 * The headers a JSON answer carries: OWASP's REST Security Cheat Sheet set (no framing, no
 * sniffing, a CSP that allows nothing; HSTS over HTTPS) plus Cross-Origin-Resource-Policy, so no
 * other site can embed the answer. The document-only headers (COOP, Referrer-Policy, the legacy
 * X-* ones) mean nothing on JSON, and on the hottest calls they were most of the answer's bytes.
 * `Cache-Control: no-store` is set by the API's own middleware.
 */
const API_HEADERS: readonly HeaderEntry[] = [
  ["content-security-policy", "default-src 'none'; frame-ancestors 'none'"],
  ["cross-origin-resource-policy", "same-origin"],
  ["x-content-type-options", "nosniff"],
  ["x-frame-options", "DENY"],
];

const HSTS: HeaderEntry = ["strict-transport-security", "max-age=63072000; includeSubDomains"];

/** Both sets, computed once per process and shared with the `auth.me` fast path. */
export interface SecurityHeaderSets {
  document: readonly HeaderEntry[];
  api: readonly HeaderEntry[];
}

export function securityHeaderSets(options: { https: boolean }): SecurityHeaderSets {
  const withHsts = (entries: readonly HeaderEntry[]) => (options.https ? [...entries, HSTS] : entries);
  return { document: withHsts(DOCUMENT_HEADERS), api: withHsts(API_HEADERS) };
}

/**
 * Whether a path is the tRPC API, whose answers are JSON for scripts. Everything else, `/healthz`
 * included (a page a person or a test may open in a browser), gets the document set.
 */
export function isApiPath(path: string): boolean {
  return path === "/trpc" || path.startsWith("/trpc/");
}

/** Sets the security headers on every response, replacing any a handler set. */
export function securityHeaders(sets: SecurityHeaderSets): MiddlewareHandler {
  return async function setSecurityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    for (const [name, value] of isApiPath(c.req.path) ? sets.api : sets.document) headers.set(name, value);
  };
}

import type { MiddlewareHandler } from "hono";
import { isIP } from "node:net";
import type { TrpcRefusal } from "./trpc-refusal.ts";

/** Most calls one batched request may carry; every call is still rate-limited on its own. */
export const MAX_BATCH_SIZE = 10;

const ALLOWED_FETCH_SITES = new Set(["same-origin", "none"]);

/**
 * CSRF and envelope checks for /trpc, before tRPC sees the request.
 * - A POST must be JSON: tRPC would also accept multipart/form-data, which a cross-site HTML form
 *   can send without a preflight, so content type is checked here, not left to tRPC.
 * - A POST with an `Origin` must come from this site (PUBLIC_URL, or the very host the request was
 *   sent to when that is an IP address or localhost, as Django compares Origin with Host) or a
 *   trusted origin; one with
 *   `Sec-Fetch-Site` must be same-origin. A POST with neither header is not from a browser (curl,
 *   another server) and carries no ambient cookie risk, so it is allowed.
 * - A batch may carry at most {@link MAX_BATCH_SIZE} calls.
 * - Methods other than GET (and HEAD) and POST are refused with 405.
 * Each refusal is answered by `refuse`, as a tRPC error (400, 403 or 415 follow from the code).
 */
export function requestGuard(trustedOrigins: readonly string[], refuse: TrpcRefusal): MiddlewareHandler {
  const trusted = new Set(trustedOrigins);
  return async function guardRequest(c, next) {
    if (c.req.query("batch") !== undefined) {
      if (batchCalls(c.req.path) > MAX_BATCH_SIZE) {
        return refuse(c, "BAD_REQUEST", `A batch may carry at most ${MAX_BATCH_SIZE} calls.`);
      }
    }
    // tRPC answers queries by GET and mutations by POST; it would read any other method as a POST
    // and ask for its content type (415), which says nothing useful about what was wrong.
    if (c.req.method !== "POST" && c.req.method !== "GET" && c.req.method !== "HEAD") {
      c.header("Allow", "GET, POST");
      return refuse(c, "METHOD_NOT_SUPPORTED", `${c.req.method} is not supported: queries use GET, mutations POST.`);
    }
    if (c.req.method !== "POST") return next();
    const contentType = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (contentType !== "application/json") {
      return refuse(c, "UNSUPPORTED_MEDIA_TYPE", "Requests must be sent as application/json.");
    }
    const origin = c.req.header("origin");
    if (origin !== undefined && !trusted.has(origin) && !isOwnHost(origin, c.req.header("host"))) {
      return refuse(c, "FORBIDDEN", "Cross-origin request refused.");
    }
    const fetchSite = c.req.header("sec-fetch-site");
    if (fetchSite !== undefined && !ALLOWED_FETCH_SITES.has(fetchSite.toLowerCase())) {
      return refuse(c, "FORBIDDEN", "Cross-site request refused.");
    }
    return next();
  };
}

/**
 * How many calls tRPC will read from the path: it decodes the whole path after its endpoint, escaped
 * commas and slashes included, and splits it at every comma.
 */
function batchCalls(path: string): number {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // tRPC refuses a malformed escape itself, with a 400, before it calls anything.
  }
  return decoded.split(",").length;
}

/**
 * Whether `origin` is http(s)://<the Host header>, the browser talking to the page's own origin, for
 * a host that DNS cannot rebind: an IP address or `localhost`. A page on another name that an
 * attacker's DNS points at this server has that name as its origin and as its Host too; Django's
 * ALLOWED_HOSTS refuses it, and here only PUBLIC_URL and TRUSTED_ORIGINS vouch for a name.
 */
function isOwnHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  if (origin !== `http://${host}` && origin !== `https://${host}`) return false;
  let hostname: string;
  try {
    hostname = new URL(origin).hostname;
  } catch {
    return false;
  }
  return hostname === "localhost" || isIP(hostname.replace(/^\[(.*)\]$/u, "$1")) !== 0;
}

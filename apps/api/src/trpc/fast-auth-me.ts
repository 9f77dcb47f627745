import { ANONYMOUS_USER, type AuthUser } from "@tsbin/auth-core";
import type { MiddlewareHandler } from "hono";
import { readSessionToken, type SessionCookieOptions } from "../auth/session-cookie.ts";
import type { Logger } from "../logger.ts";
import { logRequest } from "../middleware/request-log.ts";
import { REQUEST_ID_HEADER, requestIdFor } from "../middleware/request-id.ts";
import type { HeaderEntry } from "../middleware/security-headers.ts";
import { resolveSession, settleFailedSessionCheck, type SessionVariables } from "../middleware/session.ts";
import type { SessionDatabase } from "../auth/session-store.ts";
import { whoAmIText } from "../auth/user-row.ts";
import { asksForStream } from "./streaming-accept.ts";

const ME_PATH = "/trpc/auth.me";

export interface FastAuthMeDeps {
  database: SessionDatabase;
  cookie: SessionCookieOptions;
  logger: Logger;
  securityHeaders: readonly HeaderEntry[];
}

/**
 * `auth.me` runs on every page load of the SPA and is the hottest call of the API. Through the
 * middleware chain and tRPC's fetch adapter most of its cost is not the session check but the
 * machinery around it: a dozen header writes into a Fetch `Headers` object (and a copy of them),
 * the adapter's URL, input and batch parsing, three AbortControllers and superjson's walk of the
 * result. A plain `GET /trpc/auth.me` — no query string, no batch, no streaming — is answered here,
 * first in the chain, with the same session check ({@link resolveSession}), the same answer
 * ({@link whoAmIText}: `whoAmI` serialised as superjson would), the same headers and the same log line, as a
 * plain header record that @hono/node-server writes without building a `Headers` object.
 * Everything else goes down the normal chain, which answers it as it always did; so does a request
 * whose session could not be checked (database down), with that failure, not a second check. A test compares both answers byte for byte.
 */
export function fastAuthMe(deps: FastAuthMeDeps): MiddlewareHandler<{ Variables: SessionVariables }> {
  // Every answer's headers, the request id's slot included: copying a record of one fixed shape
  // and filling the slot costs a thirtieth of adding the id to a copy (which builds a new shape).
  const headerTemplate: Record<string, string> = {
    "cache-control": "no-store",
    ...Object.fromEntries(deps.securityHeaders),
    "content-type": "application/json",
    vary: "trpc-accept, accept",
    [REQUEST_ID_HEADER]: "",
  };
  return async function answerAuthMe(c, next) {
    const raw = c.req.raw;
    if (raw.method !== "GET" || raw.url.indexOf("?") !== -1 || c.req.path !== ME_PATH) return next();
    if (!plainJsonRequest(c.req.header("content-type"), c.req.header("trpc-accept"), c.req.header("accept"))) {
      return next();
    }
    const logging = deps.logger.isLevelEnabled("info");
    const started = logging ? performance.now() : 0;
    let user: AuthUser = ANONYMOUS_USER;
    let setCookie: string | undefined;
    const token = readSessionToken(c, deps.cookie);
    if (token !== undefined) {
      try {
        const resolved = await resolveSession(deps.database, token, deps.cookie);
        user = resolved.auth.user;
        setCookie = resolved.setCookie;
      } catch (error) {
        settleFailedSessionCheck(c, error);
        return next();
      }
    }
    const reqId = requestIdFor(c.req.header(REQUEST_ID_HEADER));
    const headers: Record<string, string> = { ...headerTemplate };
    headers[REQUEST_ID_HEADER] = reqId;
    if (setCookie !== undefined) headers["set-cookie"] = setCookie;
    if (logging) {
      logRequest(deps.logger, { reqId, method: "GET", path: ME_PATH, status: 200, started, userId: user.id });
    }
    return new Response(`{"result":{"data":${whoAmIText(user)}}}`, { status: 200, headers });
  };
}

/** Whether tRPC would parse this GET as a plain JSON call (not form data, not a streamed batch). */
function plainJsonRequest(
  contentType: string | undefined,
  trpcAccept: string | undefined,
  accept: string | undefined,
): boolean {
  if (contentType !== undefined && !contentType.startsWith("application/json")) return false;
  return !asksForStream(trpcAccept, accept);
}

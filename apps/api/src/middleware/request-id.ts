import type { MiddlewareHandler } from "hono";

export const REQUEST_ID_HEADER = "x-request-id";
const MAX_REQUEST_ID_LENGTH = 255;
const SAFE_REQUEST_ID = /^[\w\-=]+$/;

/**
 * The id that ties a request's log lines together: the caller's `X-Request-Id` when it is short and
 * harmless (a proxy's id, so logs can be joined across hops), else a fresh UUID.
 */
export function requestIdFor(incoming: string | undefined): string {
  if (incoming !== undefined && incoming.length <= MAX_REQUEST_ID_LENGTH && SAFE_REQUEST_ID.test(incoming)) {
    return incoming;
  }
  return crypto.randomUUID();
}

/** Sets `c.var.requestId` and echoes it in the `X-Request-Id` response header. */
export function requestId(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async function assignRequestId(c, next) {
    const id = requestIdFor(c.req.header(REQUEST_ID_HEADER));
    c.set("requestId", id);
    c.header(REQUEST_ID_HEADER, id);
    await next();
  };
}

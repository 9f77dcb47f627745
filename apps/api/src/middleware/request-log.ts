import type { MiddlewareHandler } from "hono";
import type { Logger } from "../logger.ts";
import type { SessionVariables } from "./session.ts";

/**
 * One structured line per request. Only the path is logged: query strings, bodies, cookies and
 * headers can carry secrets and are left out on purpose.
 */
export function requestLog(
  logger: Logger,
): MiddlewareHandler<{ Variables: Partial<SessionVariables> & { requestId: string } }> {
  return async function requestLogMiddleware(c, next) {
    // Nothing to measure or build when the line would be dropped (LOG_LEVEL above info).
    if (!logger.isLevelEnabled("info")) return next();
    const started = performance.now();
    await next();
    logRequest(logger, {
      reqId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      started,
      userId: c.get("auth")?.user.id ?? null,
    });
  };
}

export interface RequestLogFields {
  reqId: string;
  method: string;
  path: string;
  status: number;
  /** `performance.now()` when the request arrived. */
  started: number;
  userId: number | null;
}

/** Writes a request's line (the caller checks that info is enabled), with the path redacted. */
export function logRequest(logger: Logger, fields: RequestLogFields): void {
  logger.info({
    reqId: fields.reqId,
    method: fields.method,
    path: redactPath(fields.path),
    status: fields.status,
    ms: Math.round((performance.now() - fields.started) * 10) / 10,
    userId: fields.userId,
  });
}

/** Reset links carry a live token in the path (/reset-password/<token>): keep it out of the log. */
export function redactPath(path: string): string {
  return path.replace(/^\/reset-password\/[^/]+/, "/reset-password/[redacted]");
}

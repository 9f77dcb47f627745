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
    logger.info({
      reqId: c.get("requestId"),
      method: c.req.method,
      path: redactPath(c.req.path),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      userId: c.get("auth")?.user.id ?? null,
    });
  };
}

/** Reset links carry a live token in the path (/reset-password/<token>): keep it out of the log. */
export function redactPath(path: string): string {
  return path.replace(/^\/reset-password\/[^/]+/, "/reset-password/[redacted]");
}

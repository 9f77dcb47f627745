import { trpcServer } from "@hono/trpc-server";
import type { TRPCError } from "@trpc/server";
import { Hono, type Context as HonoContext, type MiddlewareHandler } from "hono";
import { clientIp } from "./auth/client-ip.ts";
import { limitBody } from "./middleware/body-limit.ts";
import { requestGuard } from "./middleware/request-guard.ts";
import { requestId } from "./middleware/request-id.ts";
import { requestLog } from "./middleware/request-log.ts";
import { securityHeaderSets, securityHeaders } from "./middleware/security-headers.ts";
import { trpcRefusal } from "./middleware/trpc-refusal.ts";
import { sessionMiddleware, type SessionVariables } from "./middleware/session.ts";
import { createServices, type AppDeps, type Services } from "./services.ts";
import { cookieOptions } from "./trpc/login-session.ts";
import { spaRoutes } from "./middleware/spa.ts";
import { WEB_DIST_DIR } from "./paths.ts";
import { createContext, type Context as TrpcContext } from "./trpc/context.ts";
import { fastAuthMe } from "./trpc/fast-auth-me.ts";
import { fastMutation } from "./trpc/fast-mutation.ts";
import { appRouter } from "./trpc/router.ts";

/** Largest request body accepted, so no one can make the server buffer megabytes. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** How long /healthz waits for the database before calling it down. */
const HEALTH_TIMEOUT_MS = 2_000;

export interface AppOptions {
  /** Where the built SPA lives; tests point it elsewhere. */
  webDistDir?: string;
  /** False sends every request down the full middleware chain (tests compare both answers). */
  fastPaths?: boolean;
}

export interface App {
  app: Hono<{ Variables: SessionVariables }>;
  services: Services;
}

/** Builds the whole HTTP application: health check, tRPC API and the SPA. */
export function createApp(deps: AppDeps, options: AppOptions = {}): App {
  const services = createServices(deps);
  const app = new Hono<{ Variables: SessionVariables }>();
  const headers = securityHeaderSets({ https: deps.env.publicUrl.startsWith("https:") });
  const cookie = cookieOptions(deps.env);
  if (options.fastPaths !== false) {
    app.use(fastAuthMe({ database: deps.database, cookie, logger: deps.logger, securityHeaders: headers.api }));
  }
  app.use(requestId());
  app.use(requestLog(deps.logger));
  app.use(securityHeaders(headers));

  app.get("/healthz", async (c) => {
    try {
      await withTimeout(deps.database.ping(), HEALTH_TIMEOUT_MS);
      return c.json({ status: "ok" });
    } catch {
      return c.json({ status: "unavailable" }, 503);
    }
  });

  const contextFor = (c: HonoContext, resHeaders: Headers) =>
    createContext({
      services,
      // The adapter types `c` loosely; this middleware chain is the one that set "auth".
      auth: (c as HonoContext<{ Variables: SessionVariables }>).get("auth"),
      meta: { ipAddress: clientIp(c, deps.env.trustProxy), userAgent: c.req.header("user-agent") ?? "" },
      requestId: (c as HonoContext<{ Variables: { requestId: string } }>).get("requestId"),
      resHeaders,
    });

  const reportError = ({ error, path, ctx }: { error: TRPCError; path: string | undefined; ctx: unknown }) => {
    // The response says only "something went wrong"; the details, tied to the request id, go here.
    if (error.code === "INTERNAL_SERVER_ERROR") {
      // tRPC's adapter types the context loosely; it is the one contextFor built.
      const reqId = (ctx as TrpcContext | undefined)?.requestId;
      deps.logger.error({ reqId, err: error.cause ?? error, path }, "procedure failed");
    }
  };

  // The middleware's refusals on /trpc are tRPC errors too, in the same envelope as the procedures'.
  const refuse = trpcRefusal(appRouter, "/trpc");
  app.use(
    "/trpc/*",
    async function noStore(c, next) {
      await next();
      // Answers depend on the session cookie: no browser or proxy may keep them. Set on the
      // response's headers, not with c.header(), which would copy the finished response (and turn
      // its body into a stream).
      c.res.headers.set("Cache-Control", "no-store");
    },
    requestGuard(deps.env.trustedOrigins, refuse),
    limitBody(MAX_BODY_BYTES, (c) => refuse(c, "PAYLOAD_TOO_LARGE", "Request body too large (at most 1 MB).")),
    sessionMiddleware(deps.database, cookie),
    ...(options.fastPaths !== false
      ? [keepContextHeaders(fastMutation({ createContext: contextFor, onError: reportError }))]
      : []),
    keepContextHeaders(
      trpcServer({
        router: appRouter,
        endpoint: "/trpc",
        createContext: (opts, c) => contextFor(c, opts.resHeaders),
        onError: reportError,
      }),
    ),
  );

  app.route("/", spaRoutes(options.webDistDir ?? WEB_DIST_DIR));
  return { app, services };
}

/**
 * The tRPC adapter builds its own Response, which would drop every header the middleware before it
 * set with `c.header()` (X-Request-Id, a renewed or cleared session cookie). Rebuilding the Response
 * through the context keeps them, ahead of the procedure's own `Set-Cookie`, so that a login's new
 * cookie comes last and wins over the clearing of a stale one.
 */
function keepContextHeaders(handler: MiddlewareHandler): MiddlewareHandler {
  return async function withContextHeaders(c, next) {
    const res = await handler(c, next);
    // A handler that passed the request on returns what `next()` gave it, not a Response.
    if (!(res instanceof Response)) return res;
    // c.newResponse() merges the headers as described, but rebuilding the Response around
    // `res.body` would turn @hono/node-server's ready string body into a stream that must be piped
    // (a large part of every request's cost). So merge into an empty response and move the merged
    // headers onto tRPC's own response, whose body is never touched.
    const merged = c.newResponse(null, res).headers;
    const headers = res.headers;
    for (const name of [...headers.keys()]) headers.delete(name);
    for (const [name, value] of merged) headers.append(name, value);
    return res;
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

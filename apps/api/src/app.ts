import { trpcServer } from "@hono/trpc-server";
import { Hono, type Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { clientIp } from "./auth/client-ip.ts";
import { requestGuard } from "./middleware/request-guard.ts";
import { requestLog } from "./middleware/request-log.ts";
import { sessionMiddleware, type SessionVariables } from "./middleware/session.ts";
import { createServices, type AppDeps, type Services } from "./services.ts";
import { cookieOptions } from "./trpc/login-session.ts";
import { spaRoutes } from "./middleware/spa.ts";
import { WEB_DIST_DIR } from "./paths.ts";
import { createContext } from "./trpc/context.ts";
import { appRouter } from "./trpc/router.ts";

/** Largest request body accepted, so no one can make the server buffer megabytes. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** How long /healthz waits for the database before calling it down. */
const HEALTH_TIMEOUT_MS = 2_000;

export interface AppOptions {
  /** Where the built SPA lives; tests point it elsewhere. */
  webDistDir?: string;
}

export interface App {
  app: Hono<{ Variables: SessionVariables }>;
  services: Services;
}

/** Builds the whole HTTP application: health check, tRPC API and the SPA. */
export function createApp(deps: AppDeps, options: AppOptions = {}): App {
  const services = createServices(deps);
  const app = new Hono<{ Variables: SessionVariables }>();
  app.use(requestId());
  app.use(requestLog(deps.logger));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: "same-origin",
      strictTransportSecurity: deps.env.publicUrl.startsWith("https:") ? "max-age=63072000; includeSubDomains" : false,
    }),
  );

  app.get("/healthz", async (c) => {
    try {
      await withTimeout(deps.database.ping(), HEALTH_TIMEOUT_MS);
      return c.json({ status: "ok" });
    } catch {
      return c.json({ status: "unavailable" }, 503);
    }
  });

  app.use(
    "/trpc/*",
    requestGuard(deps.env.trustedOrigins),
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json({ error: { message: "Request body too large (at most 1 MB).", code: "PAYLOAD_TOO_LARGE" } }, 413),
    }),
    sessionMiddleware(deps.database.db, cookieOptions(deps.env)),
    trpcServer({
      router: appRouter,
      endpoint: "/trpc",
      createContext: (opts, c) =>
        createContext({
          services,
          // The adapter types `c` loosely; this middleware chain is the one that set "auth".
          auth: (c as HonoContext<{ Variables: SessionVariables }>).get("auth"),
          meta: { ipAddress: clientIp(c, deps.env.trustProxy), userAgent: c.req.header("user-agent") ?? "" },
          requestId: (c as HonoContext<{ Variables: { requestId: string } }>).get("requestId"),
          resHeaders: opts.resHeaders,
        }),
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR")
          deps.logger.error({ err: error.cause ?? error, path }, "procedure failed");
      },
    }),
  );

  app.route("/", spaRoutes(options.webDistDir ?? WEB_DIST_DIR));
  return { app, services };
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

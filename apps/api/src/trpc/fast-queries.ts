import type { MiddlewareHandler } from "hono";
import type { Context as TrpcContext } from "./context.ts";
import { createCallerFactory } from "./init.ts";
import { appRouter } from "./router.ts";

const createCaller = createCallerFactory(appRouter);
const serialize = (data: unknown): unknown => appRouter._def._config.transformer.output.serialize(data);

/**
 * `auth.me` runs on every page load of the SPA. Through tRPC's fetch adapter most of its cost is
 * the adapter itself (URL parsing, input and batch detection, three AbortControllers per call), not
 * the procedure. A plain `GET /trpc/auth.me` — no input, no batch, no streaming, a session that
 * could be checked — is answered here by calling the very same procedure (with its middleware)
 * through a server-side caller, and wrapping its output exactly as tRPC's adapter does:
 * `{"result":{"data":<transformer output>}}`, status 200, `vary` then `content-type` headers.
 * Anything else, and any error, is left to `handler` (the tRPC adapter), which then answers as it
 * always did; `auth.me` has no side effects, so running it again there is harmless.
 */
export function withFastAuthMe(
  handler: MiddlewareHandler,
  makeContext: (c: Parameters<MiddlewareHandler>[0], resHeaders: Headers) => TrpcContext,
): MiddlewareHandler {
  return async function fastAuthMe(c, next) {
    const raw = c.req.raw;
    if (
      raw.method !== "GET" ||
      raw.url.indexOf("?") !== -1 ||
      c.req.path !== "/trpc/auth.me" ||
      !plainJsonRequest(c.req.header("content-type"), c.req.header("trpc-accept"), c.req.header("accept"))
    ) {
      return handler(c, next);
    }
    const headers = new Headers([["vary", "trpc-accept, accept"]]);
    const ctx = makeContext(c, headers);
    if (ctx.authError !== undefined) return handler(c, next);
    let data: unknown;
    try {
      data = await createCaller(ctx).auth.me();
    } catch {
      return handler(c, next);
    }
    headers.set("content-type", "application/json");
    return new Response(JSON.stringify({ result: { data: serialize(data) } }), { status: 200, headers });
  };
}

/** Whether tRPC would parse this GET as a plain JSON call (not form data, not a streamed batch). */
function plainJsonRequest(
  contentType: string | undefined,
  trpcAccept: string | undefined,
  accept: string | undefined,
): boolean {
  if (contentType !== undefined && !contentType.startsWith("application/json")) return false;
  if (trpcAccept !== undefined) return false;
  return accept === undefined || !accept.split(",").some((type) => type.trim() === "application/jsonl");
}

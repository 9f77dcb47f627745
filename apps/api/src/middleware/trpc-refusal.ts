import { getErrorShape, transformTRPCResponse, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Context } from "hono";
import type { StatusCode } from "hono/utils/http-status";
import type { AppRouter } from "../trpc/router.ts";

/** Answers a request that middleware in front of tRPC refuses, as a tRPC error with `code`. */
export type TrpcRefusal = (c: Context, code: TRPCError["code"], message: string) => Response;

/**
 * Refusals made before tRPC sees a request (origin, content type, body size, batch size) in the
 * envelope tRPC gives its own errors, so that a typed client gets `data.code` and the app's
 * errorFormatter's fields (`fieldErrors`) as from any procedure. The shape, its transformer
 * encoding and the HTTP status come from tRPC's own functions and the router's config, as tRPC's
 * adapter builds them; the refusal's message is kept.
 *
 * A single call's error names its procedure in `data.path`, as a procedure's error does. A batch
 * refused as a whole gets one envelope without a path, as tRPC's adapter answers the batches it
 * refuses itself (an unsupported content type, a batch over its `maxBatchSize`): the client's batch
 * link hands a lone envelope to every call of the batch, and the answer does not grow with the
 * number of calls a batch names.
 */
export function trpcRefusal(router: AppRouter, endpoint: string): TrpcRefusal {
  const config = router._def._config;
  const prefix = `${endpoint}/`;
  return function refuse(c, code, message) {
    // As tRPC tells a batch from a single call.
    const batch = c.req.query("batch") === "1";
    const path = !batch && c.req.path.startsWith(prefix) ? c.req.path.slice(prefix.length) : undefined;
    const error = new TRPCError({ code, message });
    // Refused before any context is built or procedure looked up, as tRPC's own request-level errors.
    const shape = getErrorShape({ config, ctx: undefined, error, input: undefined, path, type: "unknown" });
    // tRPC types the status as a number; it is the HTTP status of a TRPCError code.
    const status = getHTTPStatusCodeFromError(error) as StatusCode;
    // Through the context, so that the headers set before (X-Request-Id) are kept.
    return c.newResponse(JSON.stringify(transformTRPCResponse(config, { error: shape })), status, {
      "content-type": "application/json",
    });
  };
}

import {
  getErrorShape,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  TRPCError,
  type AnyProcedure,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import type { Context as HonoContext, MiddlewareHandler } from "hono";
import type { Context } from "./context.ts";
import { appRouter } from "./router.ts";
import { asksForStream } from "./streaming-accept.ts";

const PREFIX = "/trpc/";

/** What tRPC's adapter is given besides the request; the fast path answers with the same. */
export interface FastMutationDeps {
  createContext: (c: HonoContext, resHeaders: Headers) => Context;
  onError: (opts: { error: TRPCError; path: string; ctx: Context | undefined }) => void;
}

/**
 * Mutations (login, sign-up, logout, password changes) called one at a time with a JSON body: tRPC's
 * fetch adapter spends more of the event loop's time per call than the procedure itself — the URL
 * parsed again, a content-type parser, a proxied request, three AbortSignals, a context manager and a
 * spread of its options at every step — which during a login storm is CPU taken from the hashing
 * (bench/OPTIMISATIONS.md, tenth round). This answers such a call in the adapter's place, after the
 * same middleware (origin check, body limit, session), with the same context, the same procedure
 * call and tRPC's own functions for the error's shape and status, so that the answer is the one the
 * adapter would give; a test compares the two byte for byte. A batch of one call (`?batch=1`, as the
 * SPA's batch link sends a lone mutation) is answered too, as a batch. Anything else — a batch of
 * several calls, any other query string, a body that is not a JSON object, a path that names no
 * mutation, a streaming accept header — goes on to the adapter, which reads the body from Hono's cache.
 */
export function fastMutation(deps: FastMutationDeps): MiddlewareHandler {
  const config = appRouter._def._config;
  const mutations = mutationsByPath(appRouter._def.procedures);
  return async function answerMutation(c, next) {
    const raw = c.req.raw;
    if (raw.method !== "POST") return next();
    const queryAt = raw.url.indexOf("?");
    const batch = queryAt !== -1;
    if (batch && raw.url.slice(queryAt) !== "?batch=1") return next();
    const pathname = c.req.path;
    if (!pathname.startsWith(PREFIX)) return next();
    const path = pathname.slice(PREFIX.length);
    const procedure = mutations.get(path);
    if (procedure === undefined) return next();
    if (!plainJsonCall(c.req.header("content-type"), c.req.header("trpc-accept"), c.req.header("accept"))) {
      return next();
    }
    // A batch's body holds each call's input under its index; a single call's is the input itself.
    const body = objectOf(await c.req.text());
    if (body === undefined) return next();
    const sent = batch ? body["0"] : body;

    const resHeaders = new Headers();
    let ctx: Context | undefined;
    let input: unknown;
    let rawInput: Promise<unknown> | undefined;
    // As the adapter reads it: once, and a body the transformer refuses is the caller's error.
    const readInput = (): Promise<unknown> => {
      try {
        // As tRPC's reader does, a batch without this call's input has none (nothing to deserialize).
        input = batch && sent === undefined ? undefined : config.transformer.input.deserialize(sent);
        return Promise.resolve(input);
      } catch (cause) {
        if (cause instanceof TRPCError) return Promise.reject(cause);
        const message = cause instanceof Error ? cause.message : "Invalid input";
        return Promise.reject(new TRPCError({ code: "BAD_REQUEST", message, cause }));
      }
    };
    let response: TRPCResponse;
    try {
      // Inside the try: a context that cannot be built is the call's error, as in the adapter.
      ctx = deps.createContext(c, resHeaders);
      const data: unknown = await procedure({
        path,
        ctx,
        type: "mutation",
        // Aborted by @hono/node-server when the client closes the connection before the answer.
        signal: raw.signal,
        batchIndex: 0,
        getRawInput: () => (rawInput ??= readInput()),
      });
      response = { result: { data } };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      deps.onError({ error, path, ctx });
      response = { error: getErrorShape({ config, ctx, error, input, path, type: "mutation" }) };
    }
    const headers = new Headers([
      ["vary", "trpc-accept, accept"],
      ["content-type", "application/json"],
    ]);
    for (const [name, value] of resHeaders) headers.append(name, value);
    const answer = batch ? [response] : response;
    return new Response(JSON.stringify(transformTRPCResponse(config, answer)), {
      status: getHTTPStatusCode(answer),
      headers,
    });
  };
}

/** The router's mutations by their dotted path (tRPC keeps every procedure in one flat record). */
function mutationsByPath(procedures: object): Map<string, AnyProcedure> {
  const mutations = new Map<string, AnyProcedure>();
  for (const [path, value] of Object.entries(procedures)) {
    if (isProcedure(value) && value._def.type === "mutation") mutations.set(path, value);
  }
  return mutations;
}

function isProcedure(value: unknown): value is AnyProcedure {
  if (typeof value !== "function" || !("_def" in value)) return false;
  const def: unknown = value._def;
  return typeof def === "object" && def !== null && "type" in def && typeof def.type === "string";
}

type TRPCResponse = { result: { data: unknown } } | { error: ReturnType<typeof getErrorShape> };

/** The parsed body when it is a JSON object (superjson's envelope is checked by the transformer). */
function objectOf(text: string): Record<string, unknown> | undefined {
  if (text === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Whether tRPC's adapter would read this POST as one JSON call (not form data, not a streamed batch). */
function plainJsonCall(
  contentType: string | undefined,
  trpcAccept: string | undefined,
  accept: string | undefined,
): boolean {
  // tRPC's own test: the media type before any parameter, in any case.
  if (contentType?.toLowerCase().split(";", 1)[0]?.trim() !== "application/json") return false;
  return !asksForStream(trpcAccept, accept);
}

import type { Context, MiddlewareHandler } from "hono";

/** How much of an oversized chunked body is read and thrown away so that the 413 reaches the client. */
const DRAIN_MAX_BYTES = 64 * 1024;
const DRAIN_MAX_MS = 1_000;

/**
 * A request body limit. A GET or HEAD has no body to check. A body with a Content-Length is judged by
 * that header alone, before anything is read. A chunked body is read and counted; once it passes the
 * limit the rest is read and discarded (up to {@link DRAIN_MAX_BYTES} or {@link DRAIN_MAX_MS}) before
 * the 413 is sent. Answering while the client is still sending, and then closing the connection with
 * its bytes unread, makes the kernel reset the connection, and the client loses the answer with it.
 *
 * Unlike hono's `bodyLimit`, the common paths never ask for `c.req.raw.body`, which would make
 * @hono/node-server build a full Fetch Request and a stream for every request.
 */
export function limitBody(maxSize: number, onError: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  return async function limitRequestBody(c, next) {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      return parseInt(length || "0", 10) > maxSize ? onError(c) : next();
    }
    const body = c.req.raw.body;
    if (!body) return next();
    // A request body is bytes; the Fetch types leave its chunk type open.
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxSize) {
        await drain(reader);
        return onError(c);
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: concat(chunks, size) });
    return next();
  };
}

/** Reads and discards what is left of a body, within the drain limits; then gives up on the rest. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<"time">((resolve) => {
    timer = setTimeout(() => resolve("time"), DRAIN_MAX_MS);
  });
  let drained = 0;
  try {
    while (drained <= DRAIN_MAX_BYTES) {
      const next = await Promise.race([reader.read(), timeUp]);
      if (next === "time" || next.done) break;
      drained += next.value.byteLength;
    }
  } catch {
    // The client went away: nothing is left to protect.
  } finally {
    clearTimeout(timer);
  }
  reader.cancel().catch(() => undefined);
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

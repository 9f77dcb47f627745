import net from "node:net";
import { runInfo } from "./run-info.ts";

export interface LargeBodyResult {
  status: number;
  /** Milliseconds until the response's status line arrived. */
  ms: number;
  /** Bytes of the body written before the response arrived. */
  bytesSent: number;
  totalBytes: number;
  /** The raw response after its head (JSON for our API). */
  body: string;
  /**
   * True when the server closed the connection without an answer we could read, before the whole body
   * was sent: it refused to read on, but closing with unread data resets the connection and the
   * kernel drops the answer (no "lingering close").
   */
  closedEarly: boolean;
}

export interface LargeBodyOptions {
  path: string;
  /** The body, produced lazily in chunks so 50 MiB never sits in memory twice. */
  totalBytes: number;
  chunk: (offset: number, size: number) => Buffer;
  /** Content-Length (true) or chunked transfer encoding (false). */
  contentLength: boolean;
  headers?: Record<string, string>;
  localAddress?: string;
  /** Pause between chunks, so "413 before the body is fully read" can be observed. */
  chunkDelayMs?: number;
  chunkSize?: number;
  timeoutMs?: number;
}

/**
 * POSTs a large body over a raw socket and resolves as soon as the server has answered and closed,
 * even when it answers (413) long before the body is sent: write errors after the answer are expected,
 * which node:http would report instead of the answer.
 */
export function postLargeBody(options: LargeBodyOptions): Promise<LargeBodyResult> {
  const { port } = new URL(runInfo().baseUrl);
  const headerLines = [
    `POST ${options.path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    "Content-Type: application/json",
    "Connection: close",
    options.contentLength ? `Content-Length: ${options.totalBytes}` : "Transfer-Encoding: chunked",
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port: Number(port), localAddress: options.localAddress });
    const received: Buffer[] = [];
    let bytesSent = 0;
    let answeredAt: number | undefined;
    let sentAtAnswer = 0;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const raw = Buffer.concat(received).toString("utf8");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/u.exec(raw)?.[1] ?? "0");
      if (answeredAt === undefined || status === 0) {
        if (bytesSent < options.totalBytes) {
          resolve({
            status: 0,
            ms: performance.now() - started,
            bytesSent,
            totalBytes: options.totalBytes,
            body: "",
            closedEarly: true,
          });
          return;
        }
        reject(new Error(`no HTTP answer to ${options.path} (${bytesSent} of ${options.totalBytes} bytes sent)`));
        return;
      }
      const split = raw.indexOf("\r\n\r\n");
      resolve({
        status,
        ms: answeredAt - started,
        bytesSent: sentAtAnswer,
        totalBytes: options.totalBytes,
        body: split === -1 ? "" : raw.slice(split + 4),
        closedEarly: false,
      });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      finish();
    }, options.timeoutMs ?? 30_000);
    socket.on("data", (data: Buffer) => {
      if (answeredAt === undefined) {
        answeredAt = performance.now();
        sentAtAnswer = bytesSent;
      }
      received.push(data);
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", finish);
    socket.on("end", () => socket.end());
    const write = (data: Buffer | string): Promise<void> =>
      socket.write(data) ? Promise.resolve() : new Promise((done) => socket.once("drain", () => done()));
    const pump = async (): Promise<void> => {
      await new Promise<void>((done) => socket.once("connect", () => done()));
      await write(`${headerLines.join("\r\n")}\r\n\r\n`);
      // A server that judges Content-Length answers at once; give it the chance before sending the body,
      // or its early close would reset the connection and the answer would be lost.
      if (options.contentLength) {
        const deadline = performance.now() + 50;
        while (answeredAt === undefined && performance.now() < deadline && !socket.destroyed) {
          await new Promise<void>((done) => setTimeout(done, 2));
        }
      }
      while (bytesSent < options.totalBytes && answeredAt === undefined && !socket.destroyed) {
        const size = Math.min(chunkSize, options.totalBytes - bytesSent);
        const data = options.chunk(bytesSent, size);
        bytesSent += size;
        await write(
          options.contentLength
            ? data
            : Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), data, Buffer.from("\r\n")]),
        );
        if (options.chunkDelayMs) await new Promise<void>((done) => setTimeout(done, options.chunkDelayMs));
      }
      if (!options.contentLength && answeredAt === undefined && !socket.destroyed) await write("0\r\n\r\n");
    };
    pump().catch(() => socket.destroy());
  });
}

/** A JSON body `{"json":{...fields, [field]: "xxxx…"}}` of exactly `totalBytes`, produced chunk by chunk. */
export function jsonWithHugeField(
  fields: Record<string, string>,
  field: string,
  totalBytes: number,
): (offset: number, size: number) => Buffer {
  const prefix = JSON.stringify({ json: fields }).slice(0, -2);
  const head = Buffer.from(`${prefix}${Object.keys(fields).length > 0 ? "," : ""}"${field}":"`);
  const tail = Buffer.from(`"}}`);
  const fillerLength = totalBytes - head.length - tail.length;
  if (fillerLength < 0) throw new Error("body too small for its envelope");
  return (offset, size) => {
    const out = Buffer.alloc(size, "x".charCodeAt(0));
    if (offset < head.length) head.copy(out, 0, offset, Math.min(head.length, offset + size));
    const tailStart = head.length + fillerLength;
    if (offset + size > tailStart) {
      const from = Math.max(0, tailStart - offset);
      tail.copy(out, from, Math.max(0, offset - tailStart), Math.min(tail.length, offset + size - tailStart));
    }
    return out;
  };
}

/**
 * Sends `head` (a whole request head, CRLF line ends) over a raw socket and returns the answer's status,
 * or 0 when the server reset the connection before an answer could be read (an oversized request line
 * refused by closing with unread bytes).
 */
export function rawRequestStatus(head: string, localAddress?: string): Promise<number> {
  const { port } = new URL(runInfo().baseUrl);
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port: Number(port), localAddress });
    let received = "";
    const done = (): void => resolve(Number(/^HTTP\/1\.[01] (\d{3})/u.exec(received)?.[1] ?? "0"));
    socket.setTimeout(15_000, () => socket.destroy());
    socket.on("data", (data: Buffer) => (received += data.toString("latin1")));
    socket.on("error", () => socket.destroy());
    socket.on("close", done);
    socket.on("connect", () => socket.write(head));
  });
}

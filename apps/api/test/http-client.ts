// A small tRPC-over-HTTP client for the integration tests: real sockets (node:http, so a test can
// pick its source address and send any Host header), one cookie jar per client, superjson bodies.
import type { AnyTRPCProcedure, inferProcedureInput, inferProcedureOutput } from "@trpc/server";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import superjson from "superjson";
import type { SuperJSONResult } from "superjson";
import { parseEml, type ParsedEml } from "../src/email/testing.ts";
import { closeServers, listen } from "../src/server.ts";
import type { AppOptions } from "../src/app.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import type { Access, Meta } from "../src/trpc/init.ts";
import { appRouter, type AppRouter } from "../src/trpc/router.ts";

// ---------------------------------------------------------------------------------------------
// Procedure paths and their types, derived from the router.

type RecordOf<T> = T extends { _def: { record: infer R } } ? R : T;

type PathsOf<Rec, Prefix extends string = ""> = {
  [K in keyof Rec & string]: Rec[K] extends AnyTRPCProcedure
    ? `${Prefix}${K}`
    : PathsOf<RecordOf<Rec[K]>, `${Prefix}${K}.`>;
}[keyof Rec & string];

type ProcedureAt<Rec, Path extends string> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof Rec
    ? ProcedureAt<RecordOf<Rec[Head]>, Rest>
    : never
  : Path extends keyof Rec
    ? Rec[Path]
    : never;

type Root = AppRouter["_def"]["record"];

/** Every procedure of the API, by its dotted path (`auth.login`, `auth.sessions.list`...). */
export type ProcedurePath = PathsOf<Root>;
type Procedure<P extends ProcedurePath> = Extract<ProcedureAt<Root, P>, AnyTRPCProcedure>;
export type ProcedureInput<P extends ProcedurePath> = inferProcedureInput<Procedure<P>>;
export type ProcedureOutput<P extends ProcedurePath> = inferProcedureOutput<Procedure<P>>;
type ProceduresOfType<T extends "query" | "mutation"> = {
  [P in ProcedurePath]: Procedure<P>["_def"]["type"] extends T ? P : never;
}[ProcedurePath];
export type QueryPath = ProceduresOfType<"query">;
export type MutationPath = ProceduresOfType<"mutation">;

// ---------------------------------------------------------------------------------------------
// Responses.

/** A tRPC error as the API sends it (after our error formatter). */
export interface TrpcErrorShape {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    path?: string;
    fieldErrors: Record<string, string[]> | null;
  };
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every `Set-Cookie` header, in the order the server sent them. */
  setCookies: string[];
  text: string;
}

export interface TrpcResult<T> extends HttpResult {
  /** The deserialised result on success. */
  data: T | undefined;
  /** The deserialised error on failure. */
  error: TrpcErrorShape | undefined;
}

/** One parsed `Set-Cookie` header. */
export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; flags map to "". */
  attributes: Map<string, string>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...rest] = header.split(";");
  const eq = pair.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const at = part.indexOf("=");
    const key = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    if (key) attributes.set(key, at === -1 ? "" : part.slice(at + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

/** Whether a `Set-Cookie` tells the browser to drop the cookie. */
export function isDeletion(cookie: SetCookie): boolean {
  const maxAge = cookie.attributes.get("max-age");
  if (maxAge !== undefined && Number(maxAge) <= 0) return true;
  const expires = cookie.attributes.get("expires");
  return expires !== undefined && new Date(expires).getTime() <= Date.now();
}

function toJsonValue(input: unknown): SuperJSONResult {
  return superjson.serialize(input);
}

function parseTrpcBody<T>(text: string): { data: T | undefined; error: TrpcErrorShape | undefined } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { data: undefined, error: undefined };
  }
  if (typeof body !== "object" || body === null) return { data: undefined, error: undefined };
  const envelope = body as { result?: { data?: SuperJSONResult }; error?: SuperJSONResult };
  if (envelope.result?.data !== undefined) {
    return { data: superjson.deserialize<T>(envelope.result.data), error: undefined };
  }
  if (envelope.error !== undefined) {
    return { data: undefined, error: superjson.deserialize<TrpcErrorShape>(envelope.error) };
  }
  return { data: undefined, error: undefined };
}

// ---------------------------------------------------------------------------------------------
// The client.

export interface RequestOptions {
  /** Extra headers; `undefined` removes one the client would send (e.g. `origin`). */
  headers?: Record<string, string | undefined>;
}

export interface RawRequest extends RequestOptions {
  method: string;
  /** Path and query, e.g. `/trpc/auth.me?input=...`. */
  path: string;
  body?: string | Buffer;
  /** Send the body with `Transfer-Encoding: chunked` instead of a `Content-Length`. */
  chunked?: boolean;
}

export interface ClientOptions {
  /** The source address of every connection (a distinct 127.0.0.N by default). */
  localAddress?: string;
  userAgent?: string;
  /** Send like curl: no `Origin`, no `Sec-Fetch-Site`. */
  curl?: boolean;
}

// Every client gets its own loopback source address, so per-IP rate limits of one test do not
// spill into the next. The whole 127.0.0.0/8 is routed to `lo` on Linux.
let nextAddress = 0;
export function uniqueLoopbackAddress(): string {
  nextAddress += 1;
  const n = nextAddress % (250 * 250);
  return `127.0.${Math.floor(n / 250) + 1}.${(n % 250) + 2}`;
}

export class TestClient {
  readonly cookies = new Map<string, string>();
  readonly localAddress: string;
  readonly userAgent: string;
  readonly #baseUrl: URL;
  readonly #curl: boolean;

  constructor(baseUrl: string, options: ClientOptions = {}) {
    this.#baseUrl = new URL(baseUrl);
    this.localAddress = options.localAddress ?? uniqueLoopbackAddress();
    this.userAgent = options.userAgent ?? `tsbin-integration-test/${this.localAddress}`;
    this.#curl = options.curl ?? false;
  }

  get origin(): string {
    return this.#baseUrl.origin;
  }

  /** The `Cookie` header this client sends. */
  cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** Any request; the cookie jar is sent and updated. */
  request(req: RawRequest): Promise<HttpResult> {
    const headers: Record<string, string> = { "user-agent": this.userAgent };
    const cookie = this.cookieHeader();
    if (cookie !== undefined) headers["cookie"] = cookie;
    if (req.method !== "GET" && req.method !== "HEAD" && !this.#curl) {
      headers["origin"] = this.origin;
      headers["sec-fetch-site"] = "same-origin";
    }
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      if (value === undefined) delete headers[name.toLowerCase()];
      else headers[name.toLowerCase()] = value;
    }
    if (req.body !== undefined && !req.chunked) headers["content-length"] = String(Buffer.byteLength(req.body));
    return new Promise<HttpResult>((resolve, reject) => {
      const outgoing = http.request(
        {
          host: this.#baseUrl.hostname,
          port: this.#baseUrl.port,
          method: req.method,
          path: req.path,
          headers,
          localAddress: this.localAddress,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const setCookies = res.headers["set-cookie"] ?? [];
            this.#store(setCookies);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              setCookies,
              text: Buffer.concat(chunks).toString("utf8"),
            });
          });
        },
      );
      outgoing.on("error", reject);
      if (req.body !== undefined && req.chunked) {
        const body = Buffer.from(req.body);
        for (let at = 0; at < body.length; at += 64 * 1024) outgoing.write(body.subarray(at, at + 64 * 1024));
      } else if (req.body !== undefined) {
        outgoing.write(req.body);
      }
      outgoing.end();
    });
  }

  /** POSTs `{"json": input}` (superjson) to a mutation. */
  async mutation<P extends MutationPath>(
    proc: P,
    input: ProcedureInput<P>,
    options: RequestOptions = {},
  ): Promise<TrpcResult<ProcedureOutput<P>>> {
    return this.post<ProcedureOutput<P>>(proc, JSON.stringify(toJsonValue(input)), options);
  }

  /** GETs a query with `?input=<{"json": input}>`. */
  async query<P extends QueryPath>(
    proc: P,
    input?: ProcedureInput<P>,
    options: RequestOptions = {},
  ): Promise<TrpcResult<ProcedureOutput<P>>> {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(toJsonValue(input)))}`;
    const result = await this.request({ method: "GET", path: `/trpc/${proc}${query}`, ...options });
    return { ...result, ...parseTrpcBody<ProcedureOutput<P>>(result.text) };
  }

  /** POSTs a raw body (any string) to `/trpc/<path>` as application/json unless told otherwise. */
  async post<T = unknown>(
    procPath: string,
    body: string | Buffer,
    options: RequestOptions = {},
  ): Promise<TrpcResult<T>> {
    const result = await this.request({
      method: "POST",
      path: `/trpc/${procPath}`,
      body,
      ...options,
      headers: { "content-type": "application/json", ...options.headers },
    });
    return { ...result, ...parseTrpcBody<T>(result.text) };
  }

  /** POSTs a raw superjson value (not type-checked): for bad and extra inputs. */
  postJson(procPath: string, input: unknown, options: RequestOptions = {}): Promise<TrpcResult<unknown>> {
    return this.post(procPath, JSON.stringify({ json: input }), options);
  }

  /** `auth.me`, unwrapped. */
  async me(): Promise<ProcedureOutput<"auth.me">> {
    return ok(await this.query("auth.me"));
  }

  async login(
    username: string,
    password: string,
    options: RequestOptions = {},
  ): Promise<TrpcResult<ProcedureOutput<"auth.login">>> {
    return this.mutation("auth.login", { username, password }, options);
  }

  #store(setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const cookie = parseSetCookie(header);
      if (isDeletion(cookie)) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }
}

/** The data of a successful call; throws with the response text otherwise. */
export function ok<T>(result: TrpcResult<T>): T {
  if (result.status < 200 || result.status >= 300 || result.data === undefined) {
    throw new Error(`expected success, got ${result.status}: ${result.text}`);
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// The server under test.

export interface TestServer {
  t: TestApp;
  url: string;
  port: number;
  /** `$DATA_DIR` (a fresh temporary folder); the file email backend writes to `outbox/` in it. */
  dataDir: string;
  client(options?: ClientOptions): TestClient;
  /** Raw SQL on the test database. */
  sql<Row extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

/** The whole API on a fresh database, listening on 127.0.0.1 at a free port. */
export async function startTestServer(
  vars: Record<string, string> = {},
  options: Pick<AppOptions, "fastPaths"> = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "tsbin-api-test-"));
  const t = await createTestApp(
    { DATA_DIR: dataDir, ...vars },
    { ...options, webDistDir: path.join(dataDir, "no-web") },
  );
  const { servers, port } = await listen(t.app, "127.0.0.1", 0);
  const url = `http://127.0.0.1:${port}`;
  return {
    t,
    url,
    port,
    dataDir,
    client: (options) => new TestClient(url, options),
    sql: (text, params) => t.database.query(text, params),
    close: async () => {
      await closeServers(servers);
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Fixtures.

let userCounter = 0;

/** A fresh username, unique within the test process. */
export function uniqueName(prefix = "user"): string {
  userCounter += 1;
  return `${prefix}${userCounter}`;
}

export const STRONG_PASSWORD = "correct horse battery staple 42";

export interface SignedUp {
  id: number;
  username: string;
  email: string;
  password: string;
  client: TestClient;
}

/** Signs a new user up through the API; the returned client is logged in as that user. */
export async function signUp(
  server: TestServer,
  fields: { username?: string; email?: string; password?: string } = {},
  client: TestClient = server.client(),
): Promise<SignedUp> {
  const username = fields.username ?? uniqueName();
  const email = fields.email ?? `${username.toLowerCase()}@example.com`;
  const password = fields.password ?? STRONG_PASSWORD;
  const user = ok(await client.mutation("auth.signup", { username, email, password }));
  return { id: user.id, username, email, password, client };
}

/** Logs in and asserts it worked. */
export async function logIn(client: TestClient, username: string, password: string): Promise<void> {
  ok(await client.login(username, password));
}

// ---------------------------------------------------------------------------------------------
// The file email backend's outbox.

export interface OutboxMessage {
  file: string;
  to: string;
  subject: string;
  raw: string;
  parsed: ParsedEml;
}

/** Every `.eml` file in `$DATA_DIR/outbox/`, oldest first. */
export async function readOutbox(dataDir: string): Promise<OutboxMessage[]> {
  const dir = path.join(dataDir, "outbox");
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const files = names.filter((name) => name.endsWith(".eml") && !name.startsWith(".")).sort();
  return Promise.all(
    files.map(async (file) => {
      const raw = await readFile(path.join(dir, file), "utf8");
      const parsed = parseEml(raw);
      return {
        file,
        to: parsed.headers.get("to") ?? "",
        subject: parsed.headers.get("subject") ?? "",
        raw,
        parsed,
      };
    }),
  );
}

/**
 * Waits until the outbox holds a message matching `predicate` (emails are sent in the background),
 * and returns it. Fails after a generous deadline rather than hanging the suite.
 */
export async function waitForEmail(
  dataDir: string,
  predicate: (message: OutboxMessage) => boolean,
  what = "an email",
): Promise<OutboxMessage> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = (await readOutbox(dataDir)).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} arrived in the outbox`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const RESET_LINK = /(https?:\/\/[^\s"<>]+)\/reset-password\/([a-z2-7]{32}\.[a-z2-7]{32})/u;

/** The reset link of a message: the origin it points to and the token. */
export function resetLinkOf(raw: string): { origin: string; token: string } {
  const match = RESET_LINK.exec(raw);
  if (match?.[1] === undefined || match[2] === undefined) throw new Error("no reset link in the email");
  return { origin: match[1], token: match[2] };
}

/** Waits for the reset email to `address` that is not among `seen`, and returns its token. */
export async function waitForResetToken(
  dataDir: string,
  address: string,
  seen: ReadonlySet<string> = new Set(),
): Promise<{ token: string; origin: string; message: OutboxMessage }> {
  const message = await waitForEmail(
    dataDir,
    (m) => m.to.includes(address) && RESET_LINK.test(m.raw) && !seen.has(m.file),
    `reset email to ${address}`,
  );
  return { ...resetLinkOf(message.raw), message };
}

/** The session token in a client's jar (HTTP mode cookie name). */
export function sessionToken(client: TestClient, name = "session"): string {
  const token = client.cookies.get(name);
  if (token === undefined) throw new Error(`the client holds no ${name} cookie`);
  return token;
}

/** The public half of a session token: the `sessions.id` it names. */
export function sessionIdOf(token: string): string {
  return token.slice(0, token.indexOf("."));
}

/** A well-formed token (`<32 base32>.<32 base32>`) that the server never issued. */
export function forgedToken(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const part = (): string => Array.from({ length: 32 }, () => alphabet[Math.floor(Math.random() * 32)]).join("");
  return `${part()}.${part()}`;
}

/** Waits until the outbox holds at least `count` messages matching `predicate`, and returns them all. */
export async function waitForEmails(
  dataDir: string,
  predicate: (message: OutboxMessage) => boolean,
  count: number,
): Promise<OutboxMessage[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = (await readOutbox(dataDir)).filter(predicate);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} emails in the outbox, found ${found.length}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// ---------------------------------------------------------------------------------------------
// The router, walked.

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
  access: Access | undefined;
  hasInput: boolean;
}

/** Every procedure of the API, from `appRouter._def.procedures`. */
export function listProcedures(): ProcedureInfo[] {
  // At run time `_def.procedures` is flat ("auth.sessions.list" → procedure); its type is the nested record.
  const flat = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;
  return Object.entries(flat)
    .map(([path, procedure]) => {
      const def = procedure._def as { type: ProcedureInfo["type"]; meta?: Meta; inputs?: unknown[] };
      return { path, type: def.type, access: def.meta?.access, hasInput: (def.inputs?.length ?? 0) > 0 };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

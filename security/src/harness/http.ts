import http from "node:http";
import https from "node:https";
import { recordResponse, recordSecret } from "./record.ts";
import { runInfo } from "./run-info.ts";

export type HeaderValues = Record<string, string | string[] | undefined>;

export interface HttpOptions {
  /** Absolute origin, e.g. http://127.0.0.1:4000 (the run's server by default). */
  baseUrl?: string;
  method: string;
  /** Path and query, sent exactly as given (no normalisation). */
  path: string;
  headers?: HeaderValues;
  body?: string | Buffer;
  /** Source address: 127.0.0.N gives each simulated client its own IP without trusting headers. */
  localAddress?: string;
  timeoutMs?: number;
  agent?: http.Agent;
  /** Keep the response out of responses.jsonl (huge or deliberately odd bodies). */
  noRecord?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every Set-Cookie header, in order. */
  setCookies: string[];
  body: string;
  /** Wall-clock milliseconds from sending to the end of the response. */
  ms: number;
}

export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
}

/** One HTTP(S) request over a real socket. Rejects on network errors and on timeout. */
export function httpRequest(options: HttpOptions): Promise<HttpResponse> {
  const base = new URL(options.baseUrl ?? runInfo().baseUrl);
  const secure = base.protocol === "https:";
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = value;
  if (
    options.body !== undefined &&
    headers["content-length"] === undefined &&
    headers["transfer-encoding"] === undefined
  ) {
    headers["content-length"] = String(Buffer.byteLength(options.body));
  }
  const requestOptions: https.RequestOptions = {
    host: base.hostname,
    port: Number(base.port),
    method: options.method,
    path: options.path,
    headers,
    localAddress: options.localAddress,
    agent: options.agent ?? false,
    rejectUnauthorized: false,
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(requestOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const setCookie = res.headers["set-cookie"] ?? [];
        const response: HttpResponse = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          setCookies: setCookie,
          body,
          ms: performance.now() - started,
        };
        if (!options.noRecord) {
          const location = res.headers.location;
          recordResponse({ path: options.path, status: response.status, location: location ?? null, body });
        }
        resolve(response);
      });
    });
    req.setTimeout(options.timeoutMs ?? 30_000, () => {
      req.destroy(
        new RequestTimeoutError(`${options.method} ${options.path}: no answer in ${options.timeoutMs ?? 30_000} ms`),
      );
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A parsed Set-Cookie header. */
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

/** Whether a Set-Cookie tells the browser to drop the cookie. */
export function isDeletion(cookie: SetCookie): boolean {
  const maxAge = cookie.attributes.get("max-age");
  if (maxAge !== undefined && Number(maxAge) <= 0) return true;
  const expires = cookie.attributes.get("expires");
  return expires !== undefined && new Date(expires).getTime() <= Date.now();
}

export const SESSION_COOKIE_NAMES = new Set(["session", "__Host-session"]);

/** A tRPC error as the API sends it, for a procedure or for a refusal before one (the same envelope). */
export interface TrpcError {
  message: string;
  /** BAD_REQUEST, UNAUTHORIZED, ... */
  code: string;
  httpStatus: number;
  fieldErrors: Record<string, string[]> | null;
}

export interface TrpcResponse extends HttpResponse {
  /** The parsed body, when it is JSON. */
  json: unknown;
  /** `result.data.json` on success (superjson's plain-JSON part). */
  data: unknown;
  error: TrpcError | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads one tRPC envelope (an element of a batch answer, or the whole body). */
export function readEnvelope(envelope: unknown, status: number): { data: unknown; error: TrpcError | undefined } {
  if (!isRecord(envelope)) return { data: undefined, error: undefined };
  const result = envelope["result"];
  if (isRecord(result) && isRecord(result["data"])) return { data: result["data"]["json"], error: undefined };
  const error = envelope["error"];
  // Strict on purpose: every error, the request guard's refusals included, is superjson's
  // `{ error: { json: { message, data: { code, httpStatus } } } }`; anything else is reported as a
  // malformed error (code "") so that a check expecting a code fails.
  if (!isRecord(error)) return { data: undefined, error: undefined };
  const shape = isRecord(error["json"]) ? error["json"] : {};
  const data = isRecord(shape["data"]) ? shape["data"] : {};
  const code = typeof data["code"] === "string" ? data["code"] : "";
  const httpStatus = typeof data["httpStatus"] === "number" ? data["httpStatus"] : status;
  const fieldErrors = isRecord(data["fieldErrors"]) ? (data["fieldErrors"] as Record<string, string[]>) : null;
  return {
    data: undefined,
    error: { message: typeof shape["message"] === "string" ? shape["message"] : "", code, httpStatus, fieldErrors },
  };
}

export function toTrpcResponse(response: HttpResponse): TrpcResponse {
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  return { ...response, json, ...readEnvelope(json, response.status) };
}

export interface ClientOptions {
  /** Source address of every connection. */
  ip: string;
  /** Send Origin and Sec-Fetch-Site: same-origin like the SPA in a browser (default true). */
  browser?: boolean;
  baseUrl?: string;
  userAgent?: string;
  /** Reuse connections (timing checks); a fresh connection per request by default. */
  keepAlive?: boolean;
}

export interface CallOptions {
  /** Extra or replaced headers; `undefined` removes a default one (Origin, Sec-Fetch-Site...). */
  headers?: HeaderValues;
  /** Send exactly this Cookie header instead of the jar's. */
  cookie?: string;
  /** Send this body instead of `{"json": input}`. */
  rawBody?: string | Buffer;
  /** Leave the jar untouched by the answer's Set-Cookie. */
  keepJar?: boolean;
  timeoutMs?: number;
  noRecord?: boolean;
}

/** A browser-like (or curl-like) tRPC client with a cookie jar and a source address of its own. */
export class Client {
  readonly ip: string;
  readonly baseUrl: string;
  readonly cookies = new Map<string, string>();
  readonly #browser: boolean;
  readonly #userAgent: string;
  readonly #agent: http.Agent | undefined;

  constructor(options: ClientOptions) {
    this.ip = options.ip;
    this.baseUrl = options.baseUrl ?? runInfo().baseUrl;
    this.#browser = options.browser ?? true;
    this.#userAgent = options.userAgent ?? "tsbin-security-suite";
    const secure = this.baseUrl.startsWith("https:");
    this.#agent = options.keepAlive
      ? secure
        ? new https.Agent({ keepAlive: true, rejectUnauthorized: false })
        : new http.Agent({ keepAlive: true })
      : undefined;
  }

  /** The session token in the jar (`session`, or `__Host-session` over https). */
  get sessionToken(): string | undefined {
    return this.cookies.get("session") ?? this.cookies.get("__Host-session");
  }

  setSessionToken(token: string): void {
    this.cookies.set(this.baseUrl.startsWith("https:") ? "__Host-session" : "session", token);
  }

  cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  #defaultHeaders(): HeaderValues {
    const headers: HeaderValues = { "user-agent": this.#userAgent };
    if (this.#browser) {
      headers["origin"] = this.baseUrl;
      headers["sec-fetch-site"] = "same-origin";
    }
    return headers;
  }

  absorbCookies(setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const cookie = parseSetCookie(header);
      if (SESSION_COOKIE_NAMES.has(cookie.name) && cookie.value.length > 0) recordSecret("session-token", cookie.value);
      if (isDeletion(cookie)) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  /** Any request, with the jar's cookies and the client's source address. */
  async request(
    method: string,
    path: string,
    options: CallOptions & { body?: string | Buffer } = {},
  ): Promise<HttpResponse> {
    const headers: HeaderValues = { ...this.#defaultHeaders(), ...options.headers };
    const cookie = options.cookie ?? this.cookieHeader();
    if (cookie !== undefined && !("cookie" in (options.headers ?? {}))) headers["cookie"] = cookie;
    const response = await httpRequest({
      baseUrl: this.baseUrl,
      method,
      path,
      headers,
      body: options.body,
      localAddress: this.ip,
      timeoutMs: options.timeoutMs,
      agent: this.#agent,
      noRecord: options.noRecord,
    });
    if (!options.keepJar) this.absorbCookies(response.setCookies);
    return response;
  }

  /** POST /trpc/<procedure> with `{"json": input}`. */
  async mutation(procedure: string, input: unknown, options: CallOptions = {}): Promise<TrpcResponse> {
    const body = options.rawBody ?? JSON.stringify(input === undefined ? {} : { json: input });
    const response = await this.request("POST", `/trpc/${procedure}`, {
      ...options,
      headers: { "content-type": "application/json", ...options.headers },
      body,
    });
    return toTrpcResponse(response);
  }

  /** GET /trpc/<procedure>?input=<{"json": input}>. */
  async query(procedure: string, input?: unknown, options: CallOptions = {}): Promise<TrpcResponse> {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    const response = await this.request("GET", `/trpc/${procedure}${query}`, options);
    return toTrpcResponse(response);
  }

  /** `auth.me`'s answer: the user, or the anonymous user. */
  async me(options: CallOptions = {}): Promise<MeResult> {
    const response = await this.query("auth.me", undefined, options);
    if (response.status !== 200 || !isRecord(response.data)) {
      throw new Error(`auth.me answered ${response.status}: ${response.body.slice(0, 300)}`);
    }
    return response.data as unknown as MeResult;
  }

  close(): void {
    this.#agent?.destroy();
  }
}

/** The parts of `auth.me`'s answer the checks look at. */
export interface MeResult {
  isAuthenticated: boolean;
  id: number | null;
  username: string;
  email?: string;
  firstName?: string;
  isStaff: boolean;
  isSuperuser: boolean;
  isActive: boolean;
}

/** Runs `count` tasks with at most `concurrency` in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T, index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, () => worker()));
  return results;
}

import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The same @trpc/client version the SPA ships (a devDependency here, pinned alike).
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from "@trpc/client";
import { createTestApp, type TestApp } from "../testing.ts";
import type { AppRouter } from "../trpc/router.ts";

const EVIL = "http://evil.example";
const JSON_TYPE = { "content-type": "application/json" };
const TOO_LARGE = { json: { username: "x".repeat(1024 * 1024), password: "y" } };
const ELEVEN_CALLS = Array.from({ length: 11 }, () => "auth.me").join(",");

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

interface Envelope {
  error: { json: { message: string; code: number; data: Record<string, unknown> } };
}

async function envelopeOf(res: Response): Promise<Envelope> {
  return (await res.json()) as Envelope;
}

interface Refusal {
  what: string;
  status: number;
  code: string;
  /** tRPC's JSON-RPC number for `code`. */
  rpcCode: number;
  message: string;
  /** The request, for a single call (`batch` false) or a batch of two (`batch` true). */
  request: (batch: boolean) => [string, RequestInit];
}

/** `auth.logout` with `input` as its body, or twice in a batch. */
const post = (input: unknown, headers: Record<string, string>) => (batch: boolean) =>
  [
    batch ? "/trpc/auth.logout,auth.logout?batch=1" : "/trpc/auth.logout",
    { method: "POST", headers, body: JSON.stringify(batch ? { 0: input, 1: input } : input) },
  ] satisfies [string, RequestInit];

const refusals: Refusal[] = [
  {
    what: "a cross-origin mutation",
    status: 403,
    code: "FORBIDDEN",
    rpcCode: -32003,
    message: "Cross-origin request refused.",
    request: post({ json: {} }, { ...JSON_TYPE, origin: EVIL }),
  },
  {
    what: "a text/plain body",
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    rpcCode: -32015,
    message: "Requests must be sent as application/json.",
    request: post({ json: {} }, { "content-type": "text/plain;charset=UTF-8" }),
  },
  {
    what: "a body over 1 MB",
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    rpcCode: -32013,
    message: "Request body too large (at most 1 MB).",
    request: post(TOO_LARGE, JSON_TYPE),
  },
];

describe("refusals on /trpc are tRPC errors", () => {
  describe.each(refusals)("$what", ({ status, code, rpcCode, message, request }) => {
    it(`answers a single call ${status} ${code}, naming the procedure`, async () => {
      const res = await t.app.request(...request(false));
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await envelopeOf(res)).toEqual({
        error: {
          json: { message, code: rpcCode, data: { code, httpStatus: status, path: "auth.logout", fieldErrors: null } },
        },
      });
    });

    it(`answers a batch ${status} ${code} with one envelope for the whole batch`, async () => {
      const res = await t.app.request(...request(true));
      expect(res.status).toBe(status);
      const body = await envelopeOf(res);
      expect(body.error.json.message).toBe(message);
      expect(body.error.json.data).toEqual({ code, httpStatus: status, fieldErrors: null });
    });
  });

  it("answers a batch of 11 calls 400 BAD_REQUEST, for queries and mutations", async () => {
    for (const [url, init] of [
      [`/trpc/${ELEVEN_CALLS}?batch=1`, {}],
      [`/trpc/${ELEVEN_CALLS.replaceAll("auth.me", "auth.logout")}?batch=1`, { method: "POST", headers: JSON_TYPE }],
    ] satisfies [string, RequestInit][]) {
      const res = await t.app.request(url, { ...init, body: init.method === "POST" ? "{}" : null });
      expect(res.status, url).toBe(400);
      const body = await envelopeOf(res);
      expect(body.error.json.message).toBe("A batch may carry at most 10 calls.");
      expect(body.error.json.code).toBe(-32600);
      expect(body.error.json.data).toEqual({ code: "BAD_REQUEST", httpStatus: 400, fieldErrors: null });
    }
  });

  it("has the keys of an error a procedure throws, superjson-encoded alike", async () => {
    const procedureError = await t.app.request("/trpc/auth.changePassword", {
      method: "POST",
      headers: JSON_TYPE,
      body: JSON.stringify({ json: { oldPassword: "a", newPassword: "b" } }),
    });
    expect(procedureError.status).toBe(401);
    const refused = await t.app.request("/trpc/auth.changePassword", {
      method: "POST",
      headers: { ...JSON_TYPE, origin: EVIL },
      body: "{}",
    });
    const [expected, actual] = [await envelopeOf(procedureError), await envelopeOf(refused)];
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    expect(Object.keys(actual.error)).toEqual(Object.keys(expected.error));
    expect(Object.keys(actual.error.json).sort()).toEqual(Object.keys(expected.error.json).sort());
    expect(Object.keys(actual.error.json.data).sort()).toEqual(Object.keys(expected.error.json.data).sort());
  });

  it("keeps the API's headers on a refusal: no-store, the request id, the JSON security set", async () => {
    const res = await t.app.request(...refusals[0]!.request(false));
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

describe("the tRPC client", () => {
  // The app answers in-process; the client's requests never reach a socket.
  const fetchApp = (url: string | URL | Request, init?: RequestInit) => Promise.resolve(t.app.request(url, init));
  const headers = { origin: EVIL };

  async function rejection(call: Promise<unknown>): Promise<unknown> {
    return call.then(
      () => expect.unreachable("the call was not refused"),
      (error: unknown) => error,
    );
  }

  it("surfaces a refused single call as a TRPCClientError with data.code", async () => {
    const client = createTRPCClient<AppRouter>({
      links: [httpLink({ url: "http://localhost/trpc", transformer: superjson, fetch: fetchApp, headers })],
    });
    const error = await rejection(client.auth.logout.mutate({}));
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error).toMatchObject({
      message: "Cross-origin request refused.",
      data: { code: "FORBIDDEN", httpStatus: 403, path: "auth.logout" },
    });
  });

  it("gives every call of a refused batch the refusal, as the SPA's batch link reads it", async () => {
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: "http://localhost/trpc", transformer: superjson, fetch: fetchApp, headers })],
    });
    // Called in the same tick, the two calls travel as one batch.
    const errors = await Promise.all([
      rejection(client.auth.logout.mutate({})),
      rejection(client.auth.logout.mutate({})),
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TRPCClientError);
      expect(error).toMatchObject({ message: "Cross-origin request refused.", data: { code: "FORBIDDEN" } });
    }
  });
});

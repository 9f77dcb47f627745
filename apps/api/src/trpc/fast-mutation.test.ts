import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capturingLogger, createTestApp, type TestApp } from "../testing.ts";
import type { Context } from "./context.ts";
import { fastMutation } from "./fast-mutation.ts";
import { appRouter } from "./router.ts";

const PASSWORD = "Quartz-Meadow-7319!";

/** The log lines the app wrote, parsed. */
const { logger, lines: logLines } = capturingLogger();

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, {}, { logger });
  await post("/trpc/auth.signup", { json: { username: "mallory", email: "m@example.com", password: PASSWORD } });
});

afterAll(async () => {
  await t.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return await t.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
  log: Record<string, unknown> | undefined;
}

/**
 * Status, headers, body and the request's log line, with what differs between any two calls made
 * one after the other replaced: the request id, a new session's token and expiry (its Max-Age may be
 * a second shorter for the later call), timestamps in the body, the log line's timing, and a
 * Retry-After that may have moved on by a second.
 */
async function answer(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await post(path, body, headers);
  const reqId = res.headers.get("x-request-id");
  const shown = [...res.headers]
    .filter(([name]) => name !== "x-request-id")
    .map(([name, value]): [string, string] => [
      name,
      name === "set-cookie"
        ? value
            .replace(/=[^;]+\.[^;]+;/, "=(token);")
            .replace(/Max-Age=\d+/, "Max-Age=(seconds)")
            .replace(/Expires=[^;]+/, "Expires=(date)")
        : name === "retry-after"
          ? "(seconds)"
          : value,
    ]);
  const text = (await res.text()).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "(date)");
  const line = logLines.find((entry) => entry.reqId === reqId);
  const log = line && { ...line, reqId: "(id)", ms: typeof line.ms, time: undefined, userId: typeof line.userId };
  return { status: res.status, headers: shown, body: text, log };
}

/** The same call answered by the fast path and, with a query string, by tRPC's adapter. */
async function bothWays(path: string, body: () => unknown, headers: () => Record<string, string> = () => ({})) {
  const direct = await answer(path, body(), headers());
  const viaAdapter = await answer(`${path}${path.includes("?") ? "&" : "?"}via=trpc`, body(), headers());
  return { direct, viaAdapter };
}

async function logIn(): Promise<string> {
  const res = await post("/trpc/auth.login", { json: { username: "mallory", password: PASSWORD } });
  expect(res.status).toBe(200);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

describe("POST mutations answered in place of tRPC's adapter", () => {
  // What is sent, and the status both must answer with.
  const cases: [string, string, () => unknown, () => Record<string, string>, number][] = [
    ["a login", "/trpc/auth.login", () => ({ json: { username: "mallory", password: PASSWORD } }), () => ({}), 200],
    [
      "a login with the wrong password",
      "/trpc/auth.login",
      () => ({ json: { username: "MALLORY", password: "wrong" } }),
      () => ({ "x-forwarded-for": "10.9.9.9" }),
      401,
    ],
    [
      "a login of no such user",
      "/trpc/auth.login",
      () => ({ json: { username: "nobody", password: "x" } }),
      () => ({}),
      401,
    ],
    ["a login without a password", "/trpc/auth.login", () => ({ json: { username: "mallory" } }), () => ({}), 400],
    [
      "an input outside superjson's envelope",
      "/trpc/auth.login",
      () => ({ username: "mallory", password: PASSWORD }),
      () => ({}),
      400,
    ],
    ["a body that is not JSON", "/trpc/auth.login", () => "{", () => ({}), 400],
    ["a JSON array", "/trpc/auth.login", () => "[]", () => ({}), 400],
    ["an empty body", "/trpc/auth.login", () => "", () => ({}), 400],
    [
      "a sign-up whose username is taken",
      "/trpc/auth.signup",
      () => ({ json: { username: "Mallory", email: "other@example.com", password: PASSWORD } }),
      () => ({}),
      409,
    ],
    ["a logout of the anonymous user", "/trpc/auth.logout", () => ({ json: {} }), () => ({}), 200],
    [
      "a mutation that needs a login, anonymously",
      "/trpc/auth.changePassword",
      () => ({ json: { oldPassword: PASSWORD, newPassword: "Another-Quartz-8842!" } }),
      () => ({}),
      401,
    ],
    ["a query sent as POST", "/trpc/auth.me", () => ({ json: null }), () => ({}), 405],
    ["a path that names no procedure", "/trpc/auth.nosuch", () => ({ json: {} }), () => ({}), 404],
    [
      "a streaming accept header",
      "/trpc/auth.logout",
      () => ({ json: {} }),
      () => ({ accept: "application/jsonl" }),
      400,
    ],
    // A batch of one, as the SPA's batch link sends a lone mutation.
    [
      "a login in a batch of one",
      "/trpc/auth.login?batch=1",
      () => ({ 0: { json: { username: "mallory", password: PASSWORD } } }),
      () => ({}),
      200,
    ],
    [
      "a wrong password in a batch of one",
      "/trpc/auth.login?batch=1",
      () => ({ 0: { json: { username: "mallory", password: "wrong" } } }),
      () => ({ "x-forwarded-for": "10.9.9.8" }),
      401,
    ],
    ["a batch of one without its input", "/trpc/auth.login?batch=1", () => ({}), () => ({}), 400],
    [
      "a batch of one outside superjson's envelope",
      "/trpc/auth.login?batch=1",
      () => ({ 0: { username: "mallory", password: PASSWORD } }),
      () => ({}),
      400,
    ],
    ["a batch whose body is an array", "/trpc/auth.logout?batch=1", () => "[]", () => ({}), 400],
    ["a logout in a batch of one", "/trpc/auth.logout?batch=1", () => ({ 0: { json: {} } }), () => ({}), 200],
    [
      "a batch of two mutations",
      "/trpc/auth.logout,auth.logout?batch=1",
      () => ({ 0: { json: {} }, 1: { json: {} } }),
      () => ({}),
      200,
    ],
  ];
  for (const [name, path, body, headers, status] of cases) {
    it(`answers exactly as the adapter does for ${name}`, async () => {
      const { direct, viaAdapter } = await bothWays(path, body, headers);
      expect(direct).toEqual(viaAdapter);
      expect(direct.status).toBe(status);
      expect(direct.log).toMatchObject({ method: "POST", status });
    });
  }

  it("logs a user in: a session cookie, the user, and a second login ends the first session", async () => {
    const first = await logIn();
    const res = await post(
      "/trpc/auth.login",
      { json: { username: "mallory", password: PASSWORD } },
      { cookie: first },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: { data: { json: { username: "mallory" } } } });
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^session=[^;]+\.[^;]+; /);
    const me = await t.app.request("/trpc/auth.me", { headers: { cookie: first } });
    expect(await me.json()).toMatchObject({ result: { data: { json: { isAnonymous: true } } } });
  });

  it("answers a logout with a session exactly as the adapter does, and ends the session", async () => {
    const [one, two] = [await logIn(), await logIn()];
    const { direct, viaAdapter } = await bothWays(
      "/trpc/auth.logout",
      () => ({ json: {} }),
      // Each call gets its own session, so that both end one.
      (() => {
        const cookies = [one, two];
        return () => ({ cookie: cookies.shift() ?? "" });
      })(),
    );
    expect(direct).toEqual(viaAdapter);
    expect(direct.status).toBe(200);
    for (const cookie of [one, two]) {
      const me = await t.app.request("/trpc/auth.me", { headers: { cookie } });
      expect(await me.json()).toMatchObject({ result: { data: { json: { isAnonymous: true } } } });
    }
  });

  it("refuses over-budget logins with the same 429 and Retry-After", async () => {
    const from = { "x-forwarded-for": "10.7.7.7" };
    const wrong = () => ({ json: { username: "mallory", password: "wrong" } });
    for (let i = 0; i < 5; i++) expect((await post("/trpc/auth.login", wrong(), from)).status).toBe(401);
    const { direct, viaAdapter } = await bothWays("/trpc/auth.login", wrong, () => from);
    expect(direct).toEqual(viaAdapter);
    expect(direct.status).toBe(429);
    expect(direct.headers.some(([name]) => name === "retry-after")).toBe(true);
  });

  it("still refuses a cross-site POST before any procedure runs", async () => {
    const res = await post(
      "/trpc/auth.login",
      { json: { username: "mallory", password: PASSWORD } },
      { origin: "https://evil.example" },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("fastMutation's choice of calls", () => {
  /** A bare app: the fast path, then a handler that says the call went on to the adapter. */
  function bareApp(errors: unknown[]) {
    const app = new Hono();
    app.use(
      fastMutation({
        createContext: () => ({}) as Context,
        onError: (opts) => errors.push(opts.error.code),
      }),
    );
    app.all("*", (c) => c.text("went on"));
    return app;
  }

  it("answers only single POST calls of mutations with a JSON object body", async () => {
    const errors: unknown[] = [];
    const app = bareApp(errors);
    const send = (path: string, init: RequestInit = {}) =>
      app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"json":{}}',
        ...init,
      });
    const wentOn = async (res: Response) => (await res.text()) === "went on";

    expect(await wentOn(await send("/trpc/auth.logout"))).toBe(false);
    expect(await wentOn(await send("/trpc/auth.logout?batch=1", { body: '{"0":{"json":{}}}' }))).toBe(false);
    expect(await wentOn(await send("/trpc/auth.logout?batch=1&x=1"))).toBe(true);
    expect(await wentOn(await send("/trpc/auth.logout?batch=2"))).toBe(true);
    expect(await wentOn(await send("/trpc/auth.logout?x=1"))).toBe(true);
    expect(await wentOn(await send("/trpc/auth.me"))).toBe(true);
    expect(await wentOn(await send("/trpc/auth.logout,auth.logout"))).toBe(true);
    expect(await wentOn(await send("/trpc/toString"))).toBe(true);
    expect(await wentOn(await send("/other/auth.logout"))).toBe(true);
    expect(await wentOn(await send("/trpc/auth.logout", { method: "PUT" }))).toBe(true);
    expect(await wentOn(await send("/trpc/auth.logout", { body: "null" }))).toBe(true);
    expect(await wentOn(await send("/trpc/auth.logout", { headers: { "content-type": "text/plain" } }))).toBe(true);
    expect(
      await wentOn(
        await send("/trpc/auth.logout", { headers: { "content-type": "application/json", "trpc-accept": "x" } }),
      ),
    ).toBe(true);
    // The two calls answered here failed inside the procedure (the stub context has no services),
    // and were reported like any other.
    expect(errors).toEqual(["INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR"]);
  });

  it("answers a call whose context cannot be built as the adapter does", async () => {
    const reported: unknown[] = [];
    const failing = (): never => {
      throw new Error("no context");
    };
    const onError = (opts: { error: { code: string }; ctx: unknown }) => reported.push([opts.error.code, opts.ctx]);
    const fast = new Hono();
    fast.use(fastMutation({ createContext: failing, onError }));
    const adapter = new Hono();
    adapter.use("/trpc/*", trpcServer({ router: appRouter, endpoint: "/trpc", createContext: failing, onError }));
    const send = (app: Hono) =>
      app.request("/trpc/auth.logout", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"json":{}}',
      });
    const [direct, viaAdapter] = [await send(fast), await send(adapter)];
    expect(direct.status).toBe(500);
    expect(direct.status).toBe(viaAdapter.status);
    expect([...direct.headers]).toEqual([...viaAdapter.headers]);
    expect(await direct.text()).toBe(await viaAdapter.text());
    expect(reported).toEqual([
      ["INTERNAL_SERVER_ERROR", undefined],
      ["INTERNAL_SERVER_ERROR", undefined],
    ]);
  });
});

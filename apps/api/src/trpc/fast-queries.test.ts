import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../testing.ts";

let t: TestApp;
let cookie: string;

beforeAll(async () => {
  t = await createTestApp();
  const res = await t.app.request("/trpc/auth.signup", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      json: { username: "fastpath", email: "fastpath@example.com", password: "Quartz-Meadow-7319!" },
    }),
  });
  expect(res.status).toBe(200);
  cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  expect(cookie).toMatch(/^session=.+\..+$/);
});

afterAll(async () => {
  await t.close();
});

/** Status, headers (but the per-request id) and body, to compare two answers byte for byte. */
async function answer(path: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers });
  const shown = [...res.headers].filter(([name]) => name !== "x-request-id");
  return { status: res.status, headers: shown, body: await res.text() };
}

describe("GET /trpc/auth.me, answered without the tRPC adapter", () => {
  // A query string (even an unknown parameter, which tRPC ignores) sends the call through tRPC.
  const cases: [string, () => Record<string, string>][] = [
    ["the anonymous user", () => ({})],
    ["a logged-in user", () => ({ cookie })],
    ["a cookie that names no session (which is cleared)", () => ({ cookie: "session=nosuch.session" })],
    ["a JSON content type", () => ({ cookie, "content-type": "application/json" })],
    ["a streaming accept header (refused by tRPC)", () => ({ cookie, accept: "application/jsonl" })],
  ];
  for (const [name, headers] of cases) {
    it(`answers exactly as tRPC does for ${name}`, async () => {
      const direct = await answer("/trpc/auth.me", headers());
      const viaTrpc = await answer("/trpc/auth.me?via=trpc", headers());
      expect(direct).toEqual(viaTrpc);
    });
  }

  it("returns the logged-in user's details", async () => {
    const { status, body } = await answer("/trpc/auth.me", { cookie });
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({
      result: {
        data: { json: { isAuthenticated: true, username: "fastpath" }, meta: { values: { dateJoined: ["Date"] } } },
      },
    });
  });
});

import { sessions, sql, users } from "@tsbin/db";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ANONYMOUS_USER, type User } from "@tsbin/auth-core";
import { capturingLogger, createTestApp, type TestApp } from "../testing.ts";
import { whoAmI, whoAmIText } from "../auth/user-row.ts";

/** The log lines the app wrote, parsed. */
const { logger, lines: logLines } = capturingLogger();

let t: TestApp;
let cookie: string;

async function signUp(username: string): Promise<string> {
  const res = await t.app.request("/trpc/auth.signup", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { username, email: `${username}@example.com`, password: "Quartz-Meadow-7319!" } }),
  });
  expect(res.status).toBe(200);
  const value = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  expect(value).toMatch(/^session=.+\..+$/);
  return value;
}

beforeAll(async () => {
  t = await createTestApp({}, {}, { logger });
  cookie = await signUp("fastpath");
});

afterAll(async () => {
  await t.close();
});

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
  log: Record<string, unknown> | undefined;
}

/** Status, headers, body and the request's log line (but the timing), to compare two answers. */
async function answer(path: string, headers: Record<string, string> = {}, keepRequestId = false): Promise<Answer> {
  const res = await t.app.request(path, { headers });
  const shown = [...res.headers].filter(([name]) => keepRequestId || name !== "x-request-id");
  const body = await res.text();
  const reqId = res.headers.get("x-request-id");
  const line = logLines.find((entry) => entry.reqId === reqId);
  const log = line && { ...line, reqId: keepRequestId ? line.reqId : "(id)", ms: typeof line.ms, time: undefined };
  return { status: res.status, headers: shown, body, log };
}

/** Makes the session behind `sessionCookie` last verified two hours ago, so the next check renews it. */
async function ageSession(sessionCookie: string): Promise<void> {
  const id = sessionCookie.slice("session=".length).split(".")[0] ?? "";
  await t.database.db.execute(
    sql`update ${sessions} set last_verified_at = now() - interval '2 hours' where ${sessions.id} = ${id}`,
  );
}

describe("GET /trpc/auth.me, answered before the middleware chain", () => {
  // A query string (even an unknown parameter, which tRPC ignores) sends the call down the chain.
  const cases: [string, () => Record<string, string>][] = [
    ["the anonymous user", () => ({})],
    ["a logged-in user", () => ({ cookie })],
    ["a cookie that names no session (which is cleared)", () => ({ cookie: "session=nosuch.session" })],
    ["a malformed cookie", () => ({ cookie: "session=%zz" })],
    ["a JSON content type", () => ({ cookie, "content-type": "application/json" })],
    ["a streaming accept header (refused by tRPC)", () => ({ cookie, accept: "application/jsonl" })],
  ];
  for (const [name, headers] of cases) {
    it(`answers exactly as the full chain does for ${name}`, async () => {
      const direct = await answer("/trpc/auth.me", headers());
      const viaChain = await answer("/trpc/auth.me?via=trpc", headers());
      expect(direct).toEqual(viaChain);
      expect(direct.log).toMatchObject({ method: "GET", path: "/trpc/auth.me", status: direct.status });
    });
  }

  it("echoes a caller's request id, and replaces an unsafe one, as the chain does", async () => {
    for (const id of ["proxy-id-123", "bad id;x=1", "x".repeat(300)]) {
      const direct = await answer("/trpc/auth.me", { cookie, "x-request-id": id }, true);
      const viaChain = await answer("/trpc/auth.me?via=trpc", { cookie, "x-request-id": id }, true);
      const directId = direct.headers.find(([name]) => name === "x-request-id")?.[1];
      const chainId = viaChain.headers.find(([name]) => name === "x-request-id")?.[1];
      if (id === "proxy-id-123") {
        expect(directId).toBe(id);
        expect(chainId).toBe(id);
      } else {
        expect(directId).toMatch(/^[0-9a-f-]{36}$/);
        expect(chainId).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
  });

  it("renews an hour-old session and sends its cookie again, as the chain does", async () => {
    const fresh = await signUp("renewal");
    await ageSession(fresh);
    const direct = await answer("/trpc/auth.me", { cookie: fresh });
    await ageSession(fresh);
    const viaChain = await answer("/trpc/auth.me?via=trpc", { cookie: fresh });
    const renewed = direct.headers.filter(([name]) => name === "set-cookie");
    expect(renewed).toHaveLength(1);
    expect(renewed[0]?.[1]).toContain(fresh.slice("session=".length));
    // The cookies' Expires may differ by a second between the two calls; everything else may not.
    const withoutExpiry = (a: Answer) => ({
      ...a,
      headers: a.headers.map(([name, value]) => [name, value.replace(/Max-Age=\d+|Expires=[^;]+/g, "")]),
    });
    expect(withoutExpiry(direct)).toEqual(withoutExpiry(viaChain));
  });

  it("answers as anonymous, with the cookie cleared, once the user is deactivated", async () => {
    const other = await signUp("deactivated");
    await t.database.db.execute(sql`update ${users} set is_active = false where ${users.username} = 'deactivated'`);
    const direct = await answer("/trpc/auth.me", { cookie: other });
    const viaChain = await answer("/trpc/auth.me?via=trpc", { cookie: other });
    expect(direct).toEqual(viaChain);
    expect(JSON.parse(direct.body)).toMatchObject({ result: { data: { json: { isAnonymous: true } } } });
  });

  it("checks a session once when the database cannot answer, and answers as the chain does", async () => {
    // A statement timeout, as a database that hangs produces: each check would wait for it again.
    const timeout = Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
    const query = vi.spyOn(t.database, "query").mockRejectedValue(timeout);
    try {
      const res = await t.app.request("/trpc/auth.me", { headers: { cookie } });
      expect(res.status).toBe(503);
      expect(JSON.parse(await res.text())).toMatchObject({
        error: { json: { data: { code: "SERVICE_UNAVAILABLE" } } },
      });
      expect(query).toHaveBeenCalledTimes(1);
    } finally {
      query.mockRestore();
    }
  });

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

describe("whoAmIText", () => {
  const user: User = {
    isAuthenticated: true,
    isAnonymous: false,
    id: 7,
    username: 'zoë "quoted" \\ </script>',
    email: "zoe@example.com",
    firstName: "Zoë",
    lastName: "\u2028line",
    isActive: true,
    isStaff: true,
    isSuperuser: false,
    dateJoined: new Date("2020-02-29T12:34:56.789Z"),
    lastLogin: null,
  };
  // A User read with more columns than the public ones: only whoAmI's fields may get out.
  const withPrivateField = { ...user, passwordHash: "argon2$argon2id$secret" } as User;
  const cases: [string, User | typeof ANONYMOUS_USER][] = [
    ["the anonymous user", ANONYMOUS_USER],
    ["a user who never logged in", user],
    ["a user who logged in", { ...user, lastLogin: new Date("2026-11-25T00:00:00.000Z") }],
    ["a staff superuser with plain ASCII fields", { ...user, username: "root", lastName: "", isSuperuser: true }],
    ["a user object carrying a private field", withPrivateField],
  ];
  for (const [name, value] of cases) {
    it(`writes what superjson writes for whoAmI of ${name}`, () => {
      expect(whoAmIText(value)).toBe(JSON.stringify(superjson.serialize(whoAmI(value))));
    });
  }
  it("never writes a field whoAmI leaves out", () => {
    expect(whoAmIText(withPrivateField)).not.toContain("passwordHash");
  });
});

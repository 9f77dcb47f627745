// S5: expired sessions are refused and deleted; the sliding expiry writes (and re-sends the cookie)
// at most once an hour, and never beyond the absolute lifetime.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isDeletion,
  parseSetCookie,
  sessionIdOf,
  sessionToken,
  signUp,
  startTestServer,
  type SignedUp,
  type TestServer,
} from "./http-client.ts";

const DAY_MS = 24 * 3600 * 1000;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

type SessionRow = {
  xmin: string;
  last_verified_at: Date | string;
  expires_at: Date | string;
};

async function row(user: SignedUp): Promise<SessionRow | undefined> {
  const [found] = await server.sql<SessionRow>(
    "select xmin::text as xmin, last_verified_at, expires_at from sessions where id = $1",
    [sessionIdOf(sessionToken(user.client))],
  );
  return found;
}

async function setTimes(user: SignedUp, assignments: string): Promise<void> {
  await server.sql(`update sessions set ${assignments} where id = $1`, [sessionIdOf(sessionToken(user.client))]);
}

describe("an expired session", () => {
  it("gives the anonymous user, is deleted, and its cookie is cleared", async () => {
    const alice = await signUp(server);
    const id = sessionIdOf(sessionToken(alice.client));
    await setTimes(alice, "expires_at = now() - interval '1 second'");

    const res = await alice.client.query("auth.me");
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ isAuthenticated: false, isAnonymous: true });
    const cleared = res.setCookies.map(parseSetCookie).filter((c) => c.name === "session");
    expect(cleared.length).toBe(1);
    expect(cleared[0] && isDeletion(cleared[0])).toBe(true);
    expect(await server.sql("select 1 from sessions where id = $1", [id])).toEqual([]);
  });

  it("is refused with 401 where login is required", async () => {
    const alice = await signUp(server);
    await setTimes(alice, "expires_at = now() - interval '1 second'");
    const res = await alice.client.query("auth.sessions.list");
    expect(res.status).toBe(401);
  });

  it("can be replaced by logging in again, which sets a working cookie", async () => {
    const alice = await signUp(server);
    await setTimes(alice, "expires_at = now() - interval '1 second'");
    const login = await alice.client.login(alice.username, alice.password);
    expect(login.status).toBe(200);
    // Whatever the server says about the stale cookie, the last word must be the new session.
    const last = login.setCookies
      .map(parseSetCookie)
      .filter((c) => c.name === "session")
      .at(-1);
    expect(last && !isDeletion(last)).toBe(true);
    expect(await alice.client.me()).toMatchObject({ isAuthenticated: true, id: alice.id });
  });
});

describe("renewal", () => {
  it("writes nothing and sends no cookie while last_verified_at is under an hour old", async () => {
    const alice = await signUp(server);
    await setTimes(alice, "last_verified_at = now() - interval '50 minutes'");
    const before = await row(alice);

    const res = await alice.client.query("auth.me");
    expect(res.data).toMatchObject({ isAuthenticated: true, id: alice.id });
    expect(res.setCookies).toEqual([]);
    const after = await row(alice);
    expect(after).toEqual(before);
  });

  it("after the one-hour threshold, moves the expiry 14 days ahead and sends the cookie again", async () => {
    const alice = await signUp(server);
    await setTimes(alice, "last_verified_at = now() - interval '2 hours', expires_at = now() + interval '3 days'");
    const before = await row(alice);

    const res = await alice.client.query("auth.me");
    expect(res.data).toMatchObject({ isAuthenticated: true, id: alice.id });
    const after = await row(alice);
    expect(after?.xmin).not.toBe(before?.xmin);
    const expiresAt = new Date(after?.expires_at ?? 0).getTime();
    expect(Math.abs(expiresAt - (Date.now() + 14 * DAY_MS))).toBeLessThan(60_000);
    expect(Math.abs(new Date(after?.last_verified_at ?? 0).getTime() - Date.now())).toBeLessThan(60_000);

    const cookies = res.setCookies.map(parseSetCookie).filter((c) => c.name === "session");
    expect(cookies.length).toBe(1);
    const cookie = cookies[0];
    expect(cookie?.value).toBe(sessionToken(alice.client));
    expect(Math.abs(new Date(cookie?.attributes.get("expires") ?? "").getTime() - expiresAt)).toBeLessThan(2_000);
    expect(cookie?.attributes.has("httponly")).toBe(true);
    expect(cookie?.attributes.get("samesite")).toBe("Lax");

    // The next request, a moment later, writes nothing again.
    const again = await alice.client.query("auth.me");
    expect(again.setCookies).toEqual([]);
    expect((await row(alice))?.xmin).toBe(after?.xmin);
  });

  it("never extends a session beyond its absolute lifetime of 90 days", async () => {
    const alice = await signUp(server);
    await setTimes(
      alice,
      "created_at = now() - interval '89 days 23 hours', last_verified_at = now() - interval '2 hours', expires_at = now() + interval '1 hour'",
    );
    await alice.client.me();
    const after = await row(alice);
    const expiresAt = new Date(after?.expires_at ?? 0).getTime();
    expect(expiresAt).toBeLessThan(Date.now() + 2 * 3600 * 1000);
  });

  it("answers 50 parallel requests at the threshold without errors, keeping one row", async () => {
    const alice = await signUp(server);
    await setTimes(alice, "last_verified_at = now() - interval '2 hours'");
    const results = await Promise.all(Array.from({ length: 50 }, () => alice.client.query("auth.me")));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(results.every((r) => r.data?.isAuthenticated === true)).toBe(true);
    const rows = await server.sql("select 1 from sessions where user_id = $1", [alice.id]);
    expect(rows.length).toBe(1);
  });
});

// S3, X4: logout deletes the session on the server and clears the cookie; it is a POST only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isDeletion,
  parseSetCookie,
  sessionIdOf,
  sessionToken,
  signUp,
  startTestServer,
  type TestServer,
} from "./http-client.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

async function sessionRowExists(token: string): Promise<boolean> {
  return (await server.sql("select 1 from sessions where id = $1", [sessionIdOf(token)])).length > 0;
}

describe("logout", () => {
  it("deletes the session server-side, so replaying the old cookie is anonymous and refused where login is required", async () => {
    const alice = await signUp(server);
    const token = sessionToken(alice.client);
    expect(await sessionRowExists(token)).toBe(true);

    const res = await alice.client.mutation("auth.logout", {});
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true });
    expect(await sessionRowExists(token)).toBe(false);

    const replay = server.client();
    replay.cookies.set("session", token);
    expect(await replay.me()).toMatchObject({ isAuthenticated: false, isAnonymous: true, id: null });
    const list = await replay.query("auth.sessions.list");
    expect(list.status).toBe(401);
    expect(list.error?.data.code).toBe("UNAUTHORIZED");
  });

  it("clears the cookie with the same name, path and flags, and is not cacheable", async () => {
    const alice = await signUp(server);
    const res = await alice.client.mutation("auth.logout", {});
    const cleared = res.setCookies.map(parseSetCookie).filter((c) => c.name === "session");
    expect(cleared.length).toBe(1);
    const last = cleared.at(-1);
    expect(last && isDeletion(last)).toBe(true);
    expect(last?.value).toBe("");
    expect(last?.attributes.get("path")).toBe("/");
    expect(last?.attributes.has("httponly")).toBe(true);
    expect(last?.attributes.get("samesite")).toBe("Lax");
    expect(last?.attributes.has("domain")).toBe(false);
    expect(res.headers["cache-control"]).toContain("no-store");
    expect(alice.client.cookies.has("session")).toBe(false);
  });

  it("ends only the session it was sent with", async () => {
    const alice = await signUp(server);
    const other = server.client();
    expect((await other.login(alice.username, alice.password)).status).toBe(200);
    await alice.client.mutation("auth.logout", {});
    expect(await other.me()).toMatchObject({ isAuthenticated: true, id: alice.id });
  });

  it("refuses GET /trpc/auth.logout with 405 and changes nothing", async () => {
    const alice = await signUp(server);
    const token = sessionToken(alice.client);
    for (const path of ["/trpc/auth.logout", `/trpc/auth.logout?input=${encodeURIComponent('{"json":{}}')}`]) {
      const res = await alice.client.request({ method: "GET", path });
      expect(res.status, path).toBe(405);
      expect(res.setCookies.filter((c) => parseSetCookie(c).name === "session")).toEqual([]);
    }
    expect(await sessionRowExists(token)).toBe(true);
    expect(await alice.client.me()).toMatchObject({ isAuthenticated: true, id: alice.id });
  });

  it("clears a cookie that names no session once, not twice", async () => {
    const stale = server.client();
    const res = await stale.request({
      method: "POST",
      path: "/trpc/auth.logout",
      headers: { "content-type": "application/json", cookie: "session=garbage" },
      body: '{"json":{}}',
    });
    expect(res.status).toBe(200);
    const cleared = res.setCookies.map(parseSetCookie).filter((c) => c.name === "session");
    expect(cleared.map(isDeletion)).toEqual([true]);
  });

  it("is harmless without a session", async () => {
    const anonymous = server.client();
    const res = await anonymous.mutation("auth.logout", {});
    expect(res.status).toBe(200);
    expect(await anonymous.me()).toMatchObject({ isAuthenticated: false });
  });
});

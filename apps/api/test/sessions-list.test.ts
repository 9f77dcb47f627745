// auth.sessions.*: a user sees their live sessions (which one is this), ends one or all the others,
// and cannot touch anyone else's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isDeletion,
  logIn,
  ok,
  parseSetCookie,
  sessionIdOf,
  sessionToken,
  signUp,
  startTestServer,
  type SignedUp,
  type TestClient,
  type TestServer,
} from "./http-client.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

async function devices(user: SignedUp, count: number): Promise<TestClient[]> {
  const clients: TestClient[] = [];
  for (let i = 0; i < count; i += 1) {
    const client = server.client({ userAgent: `Device ${i} of ${user.username}` });
    await logIn(client, user.username, user.password);
    clients.push(client);
  }
  return clients;
}

describe("auth.sessions.list", () => {
  it("lists the user's sessions with where and when, and flags the current one", async () => {
    const alice = await signUp(server);
    const [laptop, phone] = await devices(alice, 2);
    if (!laptop || !phone) throw new Error("no devices");

    const sessions = ok(await laptop.query("auth.sessions.list"));
    expect(sessions.length).toBe(3);
    const current = sessions.filter((s) => s.current);
    expect(current.length).toBe(1);
    expect(current[0]?.id).toBe(sessionIdOf(sessionToken(laptop)));
    expect(current[0]).toMatchObject({ userAgent: laptop.userAgent, ipAddress: laptop.localAddress });
    expect(current[0]?.createdAt).toBeInstanceOf(Date);
    expect(current[0]?.expiresAt).toBeInstanceOf(Date);
    expect(sessions.map((s) => s.id).sort()).toEqual(
      [alice.client, laptop, phone].map((c) => sessionIdOf(sessionToken(c))).sort(),
    );
    // Only the public half of each token: the secrets never leave the server.
    const text = JSON.stringify(sessions);
    for (const client of [alice.client, laptop, phone]) {
      const token = sessionToken(client);
      expect(text).not.toContain(token.slice(token.indexOf(".") + 1));
    }

    const fromPhone = ok(await phone.query("auth.sessions.list"));
    expect(fromPhone.find((s) => s.current)?.id).toBe(sessionIdOf(sessionToken(phone)));
  });

  it("does not show other users' sessions", async () => {
    const alice = await signUp(server);
    const bob = await signUp(server);
    const sessions = ok(await alice.client.query("auth.sessions.list"));
    expect(sessions.map((s) => s.id)).not.toContain(sessionIdOf(sessionToken(bob.client)));
  });

  it("needs a login", async () => {
    expect((await server.client().query("auth.sessions.list")).status).toBe(401);
  });
});

describe("auth.sessions.revoke", () => {
  it("ends another session of the user: that client is anonymous on its next request", async () => {
    const alice = await signUp(server);
    const [phone] = await devices(alice, 1);
    if (!phone) throw new Error("no device");
    const res = await alice.client.mutation("auth.sessions.revoke", { id: sessionIdOf(sessionToken(phone)) });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true, current: false });
    expect(await phone.me()).toMatchObject({ isAuthenticated: false });
    expect(await alice.client.me()).toMatchObject({ isAuthenticated: true, id: alice.id });
    expect(ok(await alice.client.query("auth.sessions.list")).length).toBe(1);
  });

  it("logs out when the current session is revoked", async () => {
    const alice = await signUp(server);
    const id = sessionIdOf(sessionToken(alice.client));
    const res = await alice.client.mutation("auth.sessions.revoke", { id });
    expect(res.data).toEqual({ ok: true, current: true });
    const cleared = res.setCookies.map(parseSetCookie).find((c) => c.name === "session");
    expect(cleared && isDeletion(cleared)).toBe(true);
    expect(await server.sql("select 1 from sessions where id = $1", [id])).toEqual([]);
  });

  it("answers 404 for someone else's session, and leaves it alone", async () => {
    const alice = await signUp(server);
    const bob = await signUp(server);
    const bobsSession = sessionIdOf(sessionToken(bob.client));
    const res = await alice.client.mutation("auth.sessions.revoke", { id: bobsSession });
    expect(res.status).toBe(404);
    expect(res.error?.data.code).toBe("NOT_FOUND");
    expect(await bob.client.me()).toMatchObject({ isAuthenticated: true, id: bob.id });
    // The same answer as for an id that does not exist at all: nothing to learn.
    const unknown = await alice.client.mutation("auth.sessions.revoke", { id: "a".repeat(32) });
    expect(unknown.status).toBe(404);
    expect(unknown.error?.message).toBe(res.error?.message);
  });

  it("needs a login", async () => {
    const bob = await signUp(server);
    const res = await server.client().mutation("auth.sessions.revoke", { id: sessionIdOf(sessionToken(bob.client)) });
    expect(res.status).toBe(401);
    expect(await bob.client.me()).toMatchObject({ isAuthenticated: true });
  });
});

describe("auth.sessions.revokeOthers", () => {
  it("ends every other session of the user and keeps this one", async () => {
    const alice = await signUp(server);
    const others = await devices(alice, 3);
    const bob = await signUp(server);

    const res = await alice.client.mutation("auth.sessions.revokeOthers", {});
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true, ended: 3 });
    for (const client of others) expect(await client.me()).toMatchObject({ isAuthenticated: false });
    expect(await alice.client.me()).toMatchObject({ isAuthenticated: true, id: alice.id });
    expect(await bob.client.me()).toMatchObject({ isAuthenticated: true, id: bob.id });
    const sessions = ok(await alice.client.query("auth.sessions.list"));
    expect(sessions.map((s) => s.current)).toEqual([true]);
  });
});

// S1: login always starts a new session; a cookie the client brings is never adopted, and a login
// ends whatever session the request came with.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  forgedToken,
  logIn,
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
  const rows = await server.sql("select 1 from sessions where id = $1", [sessionIdOf(token)]);
  return rows.length > 0;
}

describe("session fixation", () => {
  it("answers a login with a fresh cookie, never the planted one, and the planted value stays anonymous", async () => {
    const alice = await signUp(server);
    const planted = forgedToken();
    const browser = server.client();
    browser.cookies.set("session", planted);

    const login = await browser.login(alice.username, alice.password);
    expect(login.status).toBe(200);
    const sessionCookies = login.setCookies.map(parseSetCookie).filter((c) => c.name === "session");
    const issued = sessionCookies.at(-1);
    expect(issued?.value).toMatch(/^[a-z2-7]{32}\.[a-z2-7]{32}$/u);
    expect(issued?.value).not.toBe(planted);
    expect(await browser.me()).toMatchObject({ isAuthenticated: true, id: alice.id });

    const attacker = server.client();
    attacker.cookies.set("session", planted);
    expect(await attacker.me()).toMatchObject({ isAuthenticated: false, id: null });
    expect((await attacker.query("auth.sessions.list")).status).toBe(401);
    expect(await sessionRowExists(planted)).toBe(false);
  });

  it("does not let an attacker's own valid session become the victim's (login CSRF / fixation)", async () => {
    const mallory = await signUp(server);
    const victim = await signUp(server);
    const malloryToken = sessionToken(mallory.client);

    // The attacker's cookie is planted in the victim's browser, and the victim logs in.
    const browser = server.client();
    browser.cookies.set("session", malloryToken);
    await logIn(browser, victim.username, victim.password);
    const victimToken = sessionToken(browser);
    expect(victimToken).not.toBe(malloryToken);
    expect(await browser.me()).toMatchObject({ id: victim.id });

    // The planted token never authenticates as the victim.
    const replay = server.client();
    replay.cookies.set("session", malloryToken);
    const me = await replay.me();
    expect(me.id).not.toBe(victim.id);
    const victimSessions = await server.sql<{ id: string }>("select id from sessions where user_id = $1", [victim.id]);
    expect(victimSessions.map((row) => row.id)).not.toContain(sessionIdOf(malloryToken));
  });

  it("ends A's session when B logs in with A's cookie, so A's token no longer authenticates as anyone", async () => {
    const a = await signUp(server);
    const b = await signUp(server);
    const browser = server.client();
    await logIn(browser, a.username, a.password);
    const tokenA = sessionToken(browser);

    await logIn(browser, b.username, b.password);
    const tokenB = sessionToken(browser);
    expect(tokenB).not.toBe(tokenA);
    expect(await browser.me()).toMatchObject({ id: b.id });

    expect(await sessionRowExists(tokenA)).toBe(false);
    const replay = server.client();
    replay.cookies.set("session", tokenA);
    expect(await replay.me()).toMatchObject({ isAuthenticated: false });
    expect((await replay.query("auth.sessions.list")).status).toBe(401);
  });

  it("gives a new cookie when the same user logs in again, and ends the old one", async () => {
    const a = await signUp(server);
    const before = sessionToken(a.client);
    await logIn(a.client, a.username, a.password);
    const after = sessionToken(a.client);
    expect(after).not.toBe(before);
    expect(await sessionRowExists(before)).toBe(false);
    expect(await sessionRowExists(after)).toBe(true);
  });

  it("starts a new session at sign-up, ending the one the request came with", async () => {
    const a = await signUp(server);
    const tokenA = sessionToken(a.client);
    const c = await signUp(server, {}, a.client);
    expect(sessionToken(c.client)).not.toBe(tokenA);
    expect(await c.client.me()).toMatchObject({ id: c.id });
    expect(await sessionRowExists(tokenA)).toBe(false);
  });

  it("creates unique, unguessable tokens and stores only the id and a hash of the secret", async () => {
    const a = await signUp(server);
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const client = server.client();
      await logIn(client, a.username, a.password);
      tokens.add(sessionToken(client));
    }
    expect(tokens.size).toBe(20);
    const dump = await server.sql<{ row: string }>("select s::text as row from sessions s");
    const text = dump.map((r) => r.row).join("\n");
    for (const token of tokens) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.slice(token.indexOf(".") + 1));
    }
  });
});

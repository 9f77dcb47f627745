// S7: the session cookie's attributes over HTTP and behind an https PUBLIC_URL, and the token never
// showing up in a response body.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  parseSetCookie,
  sessionIdOf,
  signUp,
  startTestServer,
  type SetCookie,
  type TestClient,
  type TestServer,
} from "./http-client.ts";

let http: TestServer;
let https: TestServer;

beforeAll(async () => {
  [http, https] = await Promise.all([startTestServer(), startTestServer({ PUBLIC_URL: "https://bin.example.com" })]);
});

afterAll(async () => {
  await Promise.all([http.close(), https.close()]);
});

function sessionCookieOf(setCookies: readonly string[], name: string): SetCookie {
  const cookie = setCookies
    .map(parseSetCookie)
    .filter((c) => c.name === name)
    .at(-1);
  if (!cookie) throw new Error(`no ${name} cookie in ${JSON.stringify(setCookies)}`);
  return cookie;
}

async function expiresAtOf(server: TestServer, token: string): Promise<Date> {
  const [row] = await server.sql<{ expires_at: Date | string }>("select expires_at from sessions where id = $1", [
    sessionIdOf(token),
  ]);
  if (!row) throw new Error("no session row");
  return new Date(row.expires_at);
}

async function loginResponse(server: TestServer): Promise<{ client: TestClient; setCookies: string[] }> {
  const user = await signUp(server);
  const client = server.client();
  const res = await client.login(user.username, user.password);
  expect(res.status).toBe(200);
  return { client, setCookies: res.setCookies };
}

describe("the session cookie over plain HTTP", () => {
  it("is HttpOnly, SameSite=Lax, Path=/, host-only, not Secure, and expires with the session", async () => {
    const { setCookies } = await loginResponse(http);
    expect(setCookies.map(parseSetCookie).some((c) => c.name === "__Host-session")).toBe(false);
    const cookie = sessionCookieOf(setCookies, "session");
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.get("samesite")).toBe("Lax");
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.has("domain")).toBe(false);
    expect(cookie.attributes.has("secure")).toBe(false);
    expect(`${cookie.name}=${cookie.value}`.length).toBeLessThan(4096);

    const expiresAt = await expiresAtOf(http, cookie.value);
    const expires = new Date(cookie.attributes.get("expires") ?? "");
    expect(Math.abs(expires.getTime() - expiresAt.getTime())).toBeLessThan(2_000);
    const maxAge = Number(cookie.attributes.get("max-age"));
    expect(maxAge).toBeGreaterThan(13 * 24 * 3600);
    expect(Math.abs(Date.now() + maxAge * 1000 - expiresAt.getTime())).toBeLessThan(60_000);
  });

  it("is the same at sign-up", async () => {
    const client = http.client();
    const res = await client.mutation("auth.signup", {
      username: "cookiemonster",
      email: "cookie@example.com",
      password: "correct horse battery staple",
    });
    expect(res.status).toBe(200);
    const cookie = sessionCookieOf(res.setCookies, "session");
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.get("samesite")).toBe("Lax");
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.has("domain")).toBe(false);
    expect(cookie.attributes.has("expires")).toBe(true);
  });
});

describe("the session cookie behind an https PUBLIC_URL", () => {
  it("is Secure and named __Host-session, with the other attributes unchanged", async () => {
    const { client, setCookies } = await loginResponse(https);
    expect(setCookies.map(parseSetCookie).some((c) => c.name === "session")).toBe(false);
    const cookie = sessionCookieOf(setCookies, "__Host-session");
    expect(cookie.attributes.has("secure")).toBe(true);
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.get("samesite")).toBe("Lax");
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.has("domain")).toBe(false);
    expect(cookie.attributes.has("expires")).toBe(true);
    expect(cookie.attributes.has("max-age")).toBe(true);
    expect(await client.me()).toMatchObject({ isAuthenticated: true });
  });

  it("reads only the __Host- cookie, and clears it with Secure so the browser accepts the deletion", async () => {
    const { client } = await loginResponse(https);
    const token = client.cookies.get("__Host-session") ?? "";

    const plain = https.client();
    plain.cookies.set("session", token);
    expect(await plain.me()).toMatchObject({ isAuthenticated: false });

    const res = await client.mutation("auth.logout", {});
    const cleared = sessionCookieOf(res.setCookies, "__Host-session");
    expect(cleared.attributes.get("max-age")).toBe("0");
    expect(cleared.attributes.has("secure")).toBe(true);
    expect(cleared.attributes.get("path")).toBe("/");
    expect(cleared.attributes.has("domain")).toBe(false);
  });

  it("sends HSTS", async () => {
    const res = await https.client().query("auth.me");
    expect(res.headers["strict-transport-security"]).toContain("max-age=");
  });
});

describe("a fetch client", () => {
  it("logs in with the cookie it is given and is recognised by it", async () => {
    const alice = await signUp(http);
    const post = await fetch(`${http.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: http.url, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ json: { username: alice.username, password: alice.password } }),
    });
    expect(post.status).toBe(200);
    const cookie = sessionCookieOf(post.headers.getSetCookie(), "session");
    const me = await fetch(`${http.url}/trpc/auth.me`, { headers: { cookie: `session=${cookie.value}` } });
    const body = (await me.json()) as { result: { data: { json: { id: number; isAuthenticated: boolean } } } };
    expect(body.result.data.json).toMatchObject({ id: alice.id, isAuthenticated: true });
    expect(me.headers.get("cache-control")).toBe("no-store");
    expect(me.headers.get("x-request-id")).toBeTruthy();
  });
});

describe("the token", () => {
  it("never appears in a response body or a header other than Set-Cookie", async () => {
    const client = http.client();
    const bodies: string[] = [];
    const headerValues: string[] = [];
    const record = (res: { text: string; headers: Record<string, string | string[] | undefined> }): void => {
      bodies.push(res.text);
      for (const [name, value] of Object.entries(res.headers)) {
        if (name !== "set-cookie") headerValues.push(String(value));
      }
    };
    const signup = await client.mutation("auth.signup", {
      username: "tokenwatch",
      email: "tokenwatch@example.com",
      password: "correct horse battery staple",
    });
    record(signup);
    const tokens = [client.cookies.get("session") ?? ""];
    record(await client.query("auth.me"));
    record(await client.query("auth.sessions.list"));
    const login = await client.login("tokenwatch", "correct horse battery staple");
    record(login);
    tokens.push(client.cookies.get("session") ?? "");
    record(await client.query("auth.sessions.list"));
    record(await client.mutation("auth.logout", {}));

    for (const token of tokens) {
      expect(token).toMatch(/\./u);
      const secret = token.slice(token.indexOf(".") + 1);
      for (const text of [...bodies, ...headerValues]) {
        expect(text).not.toContain(token);
        expect(text).not.toContain(secret);
      }
    }
  });
});

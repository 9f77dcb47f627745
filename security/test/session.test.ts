import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useArea } from "../src/harness/area.ts";
import { launchBrowser, logInInBrowser, whoAmIInBrowser } from "../src/harness/browser.ts";
import { dbFingerprint } from "../src/harness/database.ts";
import {
  Client,
  isDeletion,
  mapLimit,
  parseSetCookie,
  type SetCookie,
  type TrpcResponse,
} from "../src/harness/http.ts";
import { logOffset, serverErrorsSince } from "../src/harness/logs.ts";
import { recordSecret } from "../src/harness/record.ts";
import { forgedToken, logIn, seedAndLogIn, seedUser, sessionIdOf } from "../src/harness/seed.ts";
import { startHttpsSite, type HttpsSite } from "../src/harness/tls.ts";

const area = useArea("session");
const TOKEN_FORMAT = /^[a-z2-7]{32}\.[a-z2-7]{32}$/u;
const DAY_MS = 24 * 60 * 60 * 1000;

function sessionCookie(response: TrpcResponse, name = "session"): SetCookie | undefined {
  return response.setCookies
    .map(parseSetCookie)
    .filter((cookie) => cookie.name === name)
    .at(-1);
}

async function rowExists(token: string): Promise<boolean> {
  const rows = await area.sql`select 1 from sessions where id = ${sessionIdOf(token)}`;
  return rows.length > 0;
}

/** Authenticated means: auth.me names a user and a login-required procedure answers 200. */
async function identityOf(token: string): Promise<number | null> {
  const probe = area.client();
  probe.setSessionToken(token);
  const me = await probe.me({ keepJar: true });
  const list = await probe.query("auth.sessions.list", undefined, { keepJar: true });
  if (me.isAuthenticated) {
    expect(list.status).toBe(200);
    return me.id;
  }
  expect(list.status).toBe(401);
  return null;
}

describe("S1 session fixation", () => {
  it("S1 a planted, never-issued token is replaced by a fresh one at login and stays anonymous", async () => {
    const user = await seedUser(area.sql);
    const planted = forgedToken();
    const browser = area.client();
    browser.setSessionToken(planted);
    const login = await logIn(browser, user.username, user.password);
    const issued = sessionCookie(login);
    expect(issued?.value).toMatch(TOKEN_FORMAT);
    expect(issued?.value).not.toBe(planted);
    expect(await identityOf(issued?.value ?? "")).toBe(user.id);
    expect(await identityOf(planted)).toBeNull();
    expect(await rowExists(planted)).toBe(false);
  });

  it("S1 the attacker's own valid token planted in the victim's browser never becomes the victim's session", async () => {
    const mallory = await seedUser(area.sql);
    const victim = await seedUser(area.sql);
    const attacker = area.client();
    await logIn(attacker, mallory.username, mallory.password);
    const malloryToken = attacker.sessionToken ?? "";
    const browser = area.client();
    browser.setSessionToken(malloryToken);
    const login = await logIn(browser, victim.username, victim.password);
    const issued = sessionCookie(login)?.value ?? "";
    expect(issued).not.toBe(malloryToken);
    expect(await identityOf(issued)).toBe(victim.id);
    expect([mallory.id, null]).toContain(await identityOf(malloryToken));
  });

  it("S1 switching accounts ends the previous session: TA authenticates neither as A nor as B afterwards", async () => {
    const a = await seedUser(area.sql);
    const b = await seedUser(area.sql);
    const browser = area.client();
    await logIn(browser, a.username, a.password);
    const tokenA = browser.sessionToken ?? "";
    const loginB = await logIn(browser, b.username, b.password);
    const tokenB = sessionCookie(loginB)?.value ?? "";
    expect(tokenB).toMatch(TOKEN_FORMAT);
    expect(tokenB).not.toBe(tokenA);
    expect(await identityOf(tokenB)).toBe(b.id);
    expect(await identityOf(tokenA)).toBeNull();
    expect(await rowExists(tokenA)).toBe(false);
  });
});

describe("S2 token entropy and storage", () => {
  // 200 logins rather than the catalogue's 1 000: each costs an argon2id verification on two shared cores.
  const LOGINS = 200;
  it(`S2 ${LOGINS} logins give distinct 160-bit tokens; only SHA-256 of the secret is stored; no raw token at rest`, async () => {
    const user = await seedUser(area.sql);
    const clients = Array.from({ length: 4 }, () => area.client({ keepAlive: true }));
    const tokens = await mapLimit(
      Array.from({ length: LOGINS }, (_, i) => i),
      4,
      async (i) => {
        const client = clients[i % clients.length] as Client;
        const response = await client.mutation(
          "auth.login",
          { username: user.username, password: user.password },
          { keepJar: true, noRecord: true },
        );
        expect(response.status).toBe(200);
        recordSecret("session-token", sessionCookie(response)?.value ?? "");
        return sessionCookie(response)?.value ?? "";
      },
    );
    for (const token of tokens) expect(token).toMatch(TOKEN_FORMAT);
    expect(new Set(tokens).size).toBe(LOGINS);
    expect(new Set(tokens.map(sessionIdOf)).size).toBe(LOGINS);

    // Bits of the secrets look uniform: 200 × 160 bits, the share of ones within 0.5 ± 0.01 (3.6 sigma).
    const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    let ones = 0;
    let bits = 0;
    for (const token of tokens) {
      for (const char of token.split(".")[1] ?? "") {
        const value = alphabet.indexOf(char);
        for (let bit = 0; bit < 5; bit += 1) ones += (value >> bit) & 1;
        bits += 5;
      }
    }
    expect(Math.abs(ones / bits - 0.5)).toBeLessThan(0.01);

    const rows = await area.sql<{ id: string; secret_hash: Buffer; dump: string }[]>`
      select id, secret_hash, s::text as dump from sessions s where user_id = ${user.id}`;
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const token of tokens) {
      const [id = "", secret = ""] = token.split(".");
      const row = byId.get(id);
      expect(row).toBeDefined();
      expect(Buffer.from(row?.secret_hash ?? []).toString("hex")).toBe(
        createHash("sha256").update(secret).digest("hex"),
      );
    }
    const dump = [
      ...(await area.sql<{ t: string }[]>`select s::text as t from sessions s`).map((r) => r.t),
      ...(await area.sql<{ t: string }[]>`select e::text as t from auth_events e`).map((r) => r.t),
    ].join("\n");
    const log = readFileSync(area.info.logFile, "utf8");
    for (const token of tokens) {
      const secret = token.split(".")[1] ?? "";
      expect(dump.includes(secret)).toBe(false);
      expect(log.includes(secret)).toBe(false);
    }
  }, 120_000);
});

describe("S3 logout", () => {
  it("S3 logout deletes the row, clears the cookie with the same attributes and answers no-store; the token is dead", async () => {
    const browser = area.client();
    await seedAndLogIn(area.sql, browser);
    const token = browser.sessionToken ?? "";
    const logout = await browser.mutation("auth.logout", {});
    expect(logout.status).toBe(200);
    const cleared = sessionCookie(logout);
    expect(cleared).toBeDefined();
    if (cleared) {
      expect(isDeletion(cleared)).toBe(true);
      expect(cleared.attributes.get("path")).toBe("/");
      expect(cleared.attributes.has("httponly")).toBe(true);
      expect(cleared.attributes.get("samesite")?.toLowerCase()).toBe("lax");
    }
    expect(logout.headers["cache-control"]).toMatch(/no-store/u);
    expect(await rowExists(token)).toBe(false);
    expect(await identityOf(token)).toBeNull();
  });

  it("S3 GET /trpc/auth.logout is refused with 405 and changes nothing", async () => {
    const browser = area.client();
    await seedAndLogIn(area.sql, browser);
    const token = browser.sessionToken ?? "";
    const before = await dbFingerprint(area.sql);
    const answer = await browser.request(
      "GET",
      `/trpc/auth.logout?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`,
    );
    expect(answer.status).toBe(405);
    expect(await dbFingerprint(area.sql)).toEqual(before);
    expect(await rowExists(token)).toBe(true);
    expect(await identityOf(token)).not.toBeNull();
  });
});

describe("S4 password change", () => {
  it("S4 needs the current password, keeps this session, ends U's other sessions and leaves V alone", async () => {
    const u = await seedUser(area.sql);
    const v = await seedUser(area.sql);
    const a = area.client();
    const b = area.client();
    const other = area.client();
    await logIn(a, u.username, u.password);
    await logIn(b, u.username, u.password);
    await logIn(other, v.username, v.password);
    const hashBefore = (await area.sql<{ password: string }[]>`select password from users where id = ${u.id}`)[0]
      ?.password;

    const wrong = await a.mutation("auth.changePassword", {
      oldPassword: `${u.password}x`,
      newPassword: "A brand new passphrase 1",
    });
    expect(wrong.status).toBe(400);
    expect((await area.sql<{ password: string }[]>`select password from users where id = ${u.id}`)[0]?.password).toBe(
      hashBefore,
    );

    const newPassword = `A brand new passphrase ${randomBytes(4).toString("hex")}`;
    const right = await a.mutation("auth.changePassword", { oldPassword: u.password, newPassword });
    expect(right.status).toBe(200);
    expect(await identityOf(a.sessionToken ?? "")).toBe(u.id);
    expect(await identityOf(b.sessionToken ?? "")).toBeNull();
    expect(await identityOf(other.sessionToken ?? "")).toBe(v.id);
    const rows = await area.sql`select 1 from sessions where user_id = ${u.id}`;
    expect(rows.length).toBe(1);
  });
});

describe("S5 expiry and renewal", () => {
  async function freshSession(): Promise<{ token: string; id: string; userId: number }> {
    const client = area.client();
    const user = await seedAndLogIn(area.sql, client);
    const token = client.sessionToken ?? "";
    return { token, id: sessionIdOf(token), userId: user.id };
  }

  it("S5 an expired session gets 401 and its row is deleted on read", async () => {
    const { token, id } = await freshSession();
    await area.sql`update sessions set expires_at = now() - interval '1 second' where id = ${id}`;
    expect(await identityOf(token)).toBeNull();
    expect(await rowExists(token)).toBe(false);
  });

  it("S5 a session used after the renewal threshold is extended to the inactivity timeout and its cookie re-sent", async () => {
    const { token, id } = await freshSession();
    await area.sql`update sessions set last_verified_at = now() - interval '2 hours', expires_at = now() + interval '10 days' where id = ${id}`;
    const client = area.client();
    client.setSessionToken(token);
    const response = await client.query("auth.me");
    expect(response.status).toBe(200);
    const [row] = await area.sql<
      { expires_at: Date; created_at: Date }[]
    >`select expires_at, created_at from sessions where id = ${id}`;
    const expected = Math.min(Date.now() + 14 * DAY_MS, (row?.created_at.getTime() ?? 0) + 90 * DAY_MS);
    expect(Math.abs((row?.expires_at.getTime() ?? 0) - expected)).toBeLessThan(60_000);
    const cookie = sessionCookie(response);
    expect(cookie?.value).toBe(token);
    const expires = new Date(cookie?.attributes.get("expires") ?? 0).getTime();
    expect(Math.abs(expires - (row?.expires_at.getTime() ?? 0))).toBeLessThan(2_000);
  });

  it("S5 a recently verified session is not written to on read (no UPDATE, no cookie)", async () => {
    const { token, id } = await freshSession();
    await area.sql`update sessions set last_verified_at = now() - interval '10 minutes' where id = ${id}`;
    const [before] = await area.sql<
      { xmin: string; ctid: string }[]
    >`select xmin::text, ctid::text from sessions where id = ${id}`;
    const client = area.client();
    client.setSessionToken(token);
    for (let i = 0; i < 5; i += 1) {
      const response = await client.query("auth.me", undefined, { keepJar: true });
      expect(response.status).toBe(200);
      expect(sessionCookie(response)).toBeUndefined();
    }
    const [after] = await area.sql<
      { xmin: string; ctid: string }[]
    >`select xmin::text, ctid::text from sessions where id = ${id}`;
    expect(after).toEqual(before);
  });

  it("S5 50 parallel requests at the renewal threshold all succeed with one row and no 5xx", async () => {
    const { token, id } = await freshSession();
    await area.sql`update sessions set last_verified_at = now() - interval '2 hours' where id = ${id}`;
    const offset = logOffset(area.info.logFile);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => {
        const client = area.client();
        client.setSessionToken(token);
        return client.query("auth.me", undefined, { keepJar: true });
      }),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect((answer.data as { isAuthenticated: boolean }).isAuthenticated).toBe(true);
    }
    expect((await area.sql`select 1 from sessions where id = ${id}`).length).toBe(1);
    expect(serverErrorsSince(area.info.logFile, offset)).toEqual([]);
  });

  it("S5 an absolute lifetime caps renewal: 90 days after creation the session ends however active", async () => {
    const { token, id } = await freshSession();
    await area.sql`update sessions set created_at = now() - interval '90 days' + interval '1 hour',
      last_verified_at = now() - interval '2 hours', expires_at = now() + interval '1 hour' where id = ${id}`;
    expect(await identityOf(token)).not.toBeNull();
    const [row] = await area.sql<
      { expires_at: Date; created_at: Date }[]
    >`select expires_at, created_at from sessions where id = ${id}`;
    expect((row?.expires_at.getTime() ?? 0) - (row?.created_at.getTime() ?? 0)).toBeLessThanOrEqual(
      90 * DAY_MS + 1_000,
    );
    await area.sql`update sessions set created_at = now() - interval '90 days' - interval '1 second',
      expires_at = now() - interval '1 second' where id = ${id}`;
    expect(await identityOf(token)).toBeNull();
  });
});

describe("S6 malformed session cookies", () => {
  it("S6 odd cookie values are anonymous, never 5xx, never echoed, never a database error", async () => {
    const offset = logOffset(area.info.logFile);
    const latin1 = (text: string): string => Buffer.from(text, "utf8").toString("latin1");
    const values = [
      "",
      "x",
      randomBytes(6 * 1024).toString("base64"),
      "' OR 1=1--",
      "%00",
      "%E0%A4%A",
      Buffer.from([0xff, 0xfe, 0xfd, 0x80]).toString("latin1"),
      latin1("😀🔑"),
      `${forgedToken()}x`,
      forgedToken().toUpperCase(),
      `${"a".repeat(32)}.${"b".repeat(32)}`,
    ];
    const headers = [
      ...values.map((value) => `session=${value}`),
      `session=${forgedToken()}; session=${forgedToken()}`,
      [...Array.from({ length: 200 }, (_, i) => `c${i}=v${i}`), `session=${forgedToken()}`].join("; "),
    ];
    for (const cookie of headers) {
      const client = area.client();
      const me = await client.query("auth.me", undefined, { cookie, keepJar: true });
      const list = await client.query("auth.sessions.list", undefined, { cookie, keepJar: true });
      const ping = await client.query("health.ping", undefined, { cookie, keepJar: true });
      expect(me.status).toBe(200);
      expect((me.data as { isAuthenticated: boolean }).isAuthenticated).toBe(false);
      expect(list.status).toBe(401);
      expect(ping.status).toBe(200);
      const value = cookie.slice(cookie.lastIndexOf("session=") + "session=".length);
      if (value.length >= 4) {
        for (const answer of [me, list, ping]) {
          expect(answer.body.includes(value)).toBe(false);
          expect(answer.setCookies.join("\n").includes(value)).toBe(false);
        }
      }
    }
    expect(serverErrorsSince(area.info.logFile, offset)).toEqual([]);
  });
});

describe("S7 cookie attributes", () => {
  let https: HttpsSite;
  beforeAll(async () => {
    https = await startHttpsSite(area.info.runDir, area.info.dbUrl);
  }, 60_000);
  afterAll(async () => {
    await https.close();
  });

  function expectCommonAttributes(cookie: SetCookie | undefined, expiresAt: Date | undefined): void {
    expect(cookie).toBeDefined();
    if (!cookie || !expiresAt) return;
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(["lax", "strict"]).toContain(cookie.attributes.get("samesite")?.toLowerCase());
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.has("domain")).toBe(false);
    const expires = new Date(cookie.attributes.get("expires") ?? 0).getTime();
    expect(Math.abs(expires - expiresAt.getTime())).toBeLessThan(2_000);
    const maxAge = Number(cookie.attributes.get("max-age"));
    expect(Math.abs(Date.now() + maxAge * 1000 - expiresAt.getTime())).toBeLessThan(5_000);
    expect(Buffer.byteLength(`${cookie.name}=${cookie.value}`)).toBeLessThan(4096);
  }

  async function expiresAtOf(token: string): Promise<Date | undefined> {
    const [row] = await area.sql<
      { expires_at: Date }[]
    >`select expires_at from sessions where id = ${sessionIdOf(token)}`;
    return row?.expires_at;
  }

  it("S7 over HTTP the cookie is HttpOnly, SameSite=Lax, Path=/, host-only and expires with the session", async () => {
    const user = await seedUser(area.sql);
    const login = await logIn(area.client(), user.username, user.password);
    const cookie = sessionCookie(login);
    expect(cookie?.attributes.has("secure")).toBe(false);
    expectCommonAttributes(cookie, await expiresAtOf(cookie?.value ?? ""));
  });

  it("S7 over HTTPS the cookie is also Secure and named with the __Host- prefix", async () => {
    const user = await seedUser(area.sql);
    const client = new Client({ ip: area.ips.next(), baseUrl: https.baseUrl });
    const login = await logIn(client, user.username, user.password);
    const cookie = sessionCookie(login, "__Host-session");
    expect(cookie?.attributes.has("secure")).toBe(true);
    expect(login.setCookies.some((header) => header.startsWith("session="))).toBe(false);
    expectCommonAttributes(cookie, await expiresAtOf(cookie?.value ?? ""));
    expect((await client.me()).id).toBe(user.id);
  });

  it("S7 document.cookie never shows the session token in a real browser", async () => {
    const user = await seedUser(area.sql);
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      expect(await logInInBrowser(page, area.info.baseUrl, user.username, user.password)).toBe(200);
      expect((await whoAmIInBrowser(page, area.info.baseUrl)).id).toBe(user.id);
      const stored = (await context.cookies(area.info.baseUrl)).find((cookie) => cookie.name === "session");
      expect(stored?.httpOnly).toBe(true);
      await page.goto(`${area.info.baseUrl}/`);
      const visible = await page.evaluate<string>("document.cookie");
      expect(visible.includes(stored?.value ?? "unset")).toBe(false);
      expect(visible.includes("session=")).toBe(false);
    } finally {
      await browser.close();
    }
  });
});

describe("S8 disabled and deleted users", () => {
  it("S8 deactivation ends access at the next request; the right password then gets the generic 401", async () => {
    const client = area.client();
    const user = await seedAndLogIn(area.sql, client);
    const token = client.sessionToken ?? "";
    await area.sql`update users set is_active = false where id = ${user.id}`;
    expect(await identityOf(token)).toBeNull();
    const right = await area.client().mutation("auth.login", { username: user.username, password: user.password });
    const wrong = await area
      .client()
      .mutation("auth.login", { username: user.username, password: `${user.password}x` });
    expect(right.status).toBe(401);
    expect(right.error).toEqual(wrong.error);
    expect(right.body.toLowerCase()).not.toMatch(/inactive|disabled|deactivated/u);
    expect(right.setCookies.some((header) => /^session=[a-z2-7]/u.test(header))).toBe(false);
  });

  it("S8 a deleted user's live token gets 401", async () => {
    const client = area.client();
    const user = await seedAndLogIn(area.sql, client);
    const token = client.sessionToken ?? "";
    await area.sql`delete from users where id = ${user.id}`;
    expect(await identityOf(token)).toBeNull();
  });
});

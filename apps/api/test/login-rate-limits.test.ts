// L1–L4, E1: login throttling per (IP, account), per IP and per account; batching and forged
// forwarding headers do not get around it. Distinct clients come from distinct loopback addresses
// (127.0.x.y), or, with TRUST_PROXY=true, from distinct X-Forwarded-For values.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, startTestServer, type TestClient, type TestServer } from "./http-client.ts";

const WRONG = "definitely not the password";

let direct: TestServer;
let proxied: TestServer;

beforeAll(async () => {
  [direct, proxied] = await Promise.all([startTestServer(), startTestServer({ TRUST_PROXY: "true" })]);
});

afterAll(async () => {
  await Promise.all([direct.close(), proxied.close()]);
});

function batchBody(calls: number, username: string, password: string): string {
  const body: Record<string, { json: { username: string; password: string } }> = {};
  for (let i = 0; i < calls; i += 1) body[String(i)] = { json: { username, password } };
  return JSON.stringify(body);
}

function batchPath(calls: number): string {
  return `${Array.from({ length: calls }, () => "auth.login").join(",")}?batch=1`;
}

async function failLogins(client: TestClient, username: string, times: number, headers = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i += 1) statuses.push((await client.login(username, WRONG, { headers })).status);
  return statuses;
}

describe("per (IP, account)", () => {
  it("answers the 6th wrong password in 15 minutes with 429 and Retry-After, even for the right password", async () => {
    const alice = await signUp(direct);
    const attacker = direct.client();
    expect(await failLogins(attacker, alice.username, 5)).toEqual([401, 401, 401, 401, 401]);

    const sixth = await attacker.login(alice.username, WRONG);
    expect(sixth.status).toBe(429);
    expect(sixth.error?.data.code).toBe("TOO_MANY_REQUESTS");
    const retryAfter = Number(sixth.headers["retry-after"]);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    const right = await attacker.login(alice.username, alice.password);
    expect(right.status).toBe(429);
    expect(right.setCookies).toEqual([]);
  });

  it("throttles a long typed identifier like any other (its counter key is longer than the column)", async () => {
    // Case folding lengthens ß to ss: 254 of them make an identifier whose counter key is over 500 characters.
    const long = `${"ß".repeat(240)}@example.com`;
    const attacker = direct.client();
    expect(await failLogins(attacker, long, 5)).toEqual([401, 401, 401, 401, 401]);
    expect((await attacker.login(long, WRONG)).status).toBe(429);
    // Another long identifier sharing the first 255 characters has its own budget.
    expect((await attacker.login(`${"ß".repeat(240)}@example.org`, WRONG)).status).toBe(401);
  });

  it("does not lock the owner out from another address", async () => {
    const alice = await signUp(direct);
    await failLogins(direct.client(), alice.username, 6);
    expect((await direct.client().login(alice.username, alice.password)).status).toBe(200);
  });

  it("counts the username, its other spellings and the email address as one account", async () => {
    const alice = await signUp(direct, { username: "Spelling", email: "spelling@example.com" });
    const attacker = direct.client();
    const identifiers = ["Spelling", "spelling", "SPELLING", "ｓｐｅｌｌｉｎｇ", "Spelling@Example.com"];
    for (const identifier of identifiers) expect((await attacker.login(identifier, WRONG)).status).toBe(401);
    expect((await attacker.login("spelling", alice.password)).status).toBe(429);
  });

  it("answers 429 identically for existing and nonexistent usernames", async () => {
    const alice = await signUp(direct);
    const one = direct.client();
    const two = direct.client();
    const existing = await failLogins(one, alice.username, 5);
    const missing = await failLogins(two, "no-such-user-anywhere", 5);
    expect(existing).toEqual(missing);
    const limitedExisting = await one.login(alice.username, WRONG);
    const limitedMissing = await two.login("no-such-user-anywhere", WRONG);
    expect(limitedExisting.status).toBe(429);
    expect(limitedMissing.status).toBe(429);
    expect(limitedMissing.text).toBe(limitedExisting.text);
  });

  it("counts the spellings of a long email address alike, whether or not an account has it", async () => {
    // Longer than any username (150), as an email address may be (254).
    const local = "a".repeat(160);
    const owner = await signUp(direct, { email: `${local}@owned.example` });
    const outcomes: number[][] = [];
    for (const email of [owner.email, `${local}@unknown.example`]) {
      const client = direct.client();
      const statuses = await failLogins(client, email.toUpperCase(), 5);
      statuses.push((await client.login(email, WRONG)).status);
      outcomes.push(statuses);
    }
    expect(outcomes[0]).toEqual([401, 401, 401, 401, 401, 429]);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it("ignores a forged X-Forwarded-For when TRUST_PROXY is unset", async () => {
    const alice = await signUp(direct);
    const attacker = direct.client();
    for (let i = 0; i < 5; i += 1) {
      const res = await attacker.login(alice.username, WRONG, {
        headers: { "x-forwarded-for": `198.51.100.${i + 1}`, "x-real-ip": `198.51.100.${i + 1}` },
      });
      expect(res.status).toBe(401);
    }
    const res = await attacker.login(alice.username, WRONG, { headers: { "x-forwarded-for": "198.51.100.99" } });
    expect(res.status).toBe(429);
    const [event] = await direct.sql<{ ip_address: string }>(
      "select ip_address from auth_events where type = 'userLoginFailed' and username = $1 limit 1",
      [alice.username],
    );
    expect(event?.ip_address).toBe(attacker.localAddress);
  });
});

describe("per IP", () => {
  it("stops a burst of wrong passwords across many usernames, existing or not", async () => {
    const existing = await Promise.all(Array.from({ length: 5 }, () => signUp(direct)));
    const usernames = [
      ...existing.map((u) => u.username),
      ...Array.from({ length: 25 }, (_, i) => `sprayed-nobody-${i}`),
    ];
    const sprayer = direct.client();
    for (const username of usernames) expect((await sprayer.login(username, WRONG)).status).toBe(401);
    const next = await sprayer.login("one-more-name", WRONG);
    expect(next.status).toBe(429);
    expect(next.headers["retry-after"]).toBeDefined();
    // The limit is per address: someone else is not affected.
    expect((await direct.client().login(existing[0]?.username ?? "", existing[0]?.password ?? "")).status).toBe(200);
  });
});

describe("batching", () => {
  it("refuses a batch of 11 calls with 400 before any of them runs", async () => {
    const alice = await signUp(direct);
    const attacker = direct.client();
    const res = await attacker.post(batchPath(11), batchBody(11, alice.username, WRONG));
    expect(res.status).toBe(400);
    const failures = await direct.sql("select 1 from auth_events where type = 'userLoginFailed' and username = $1", [
      alice.username,
    ]);
    expect(failures).toEqual([]);
  });

  it("refuses a batch of 11 calls written with escaped commas or split by a slash", async () => {
    const alice = await signUp(direct);
    const attacker = direct.client();
    const logins = Array.from({ length: 11 }, () => "auth.login");
    for (const path of [
      `${logins.join("%2C")}?batch=1`,
      `${logins.join("%2c")}?batch=1`,
      // tRPC reads "auth.login/auth.login" as the eleventh call's name; the guard looked past the slash.
      `${logins.join(",")}/auth.login?batch=1`,
    ]) {
      const res = await attacker.post(path, batchBody(11, alice.username, WRONG));
      expect(res.status, path).toBe(400);
      expect(res.text, path).toContain("A batch may carry at most 10 calls.");
    }
    const failures = await direct.sql("select 1 from auth_events where type = 'userLoginFailed' and username = $1", [
      alice.username,
    ]);
    expect(failures).toEqual([]);
    // The same escapes within the limit are still a batch tRPC answers.
    const within = await attacker.request({ method: "GET", path: "/trpc/auth.me%2Cauth.me?batch=1&input=%7B%7D" });
    expect(within.status).toBe(200);
    expect(JSON.parse(within.text)).toHaveLength(2);
  });

  it("counts every call of a batch of 10: no more than 5 wrong passwords are tried", async () => {
    const alice = await signUp(direct);
    const attacker = direct.client();
    const res = await attacker.post<unknown>(batchPath(10), batchBody(10, alice.username, WRONG));
    const calls = JSON.parse(res.text) as { error?: { json?: { data?: { httpStatus?: number } } } }[];
    expect(calls.length).toBe(10);
    const statuses = calls.map((call) => call.error?.json?.data?.httpStatus);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const tried = await direct.sql("select 1 from auth_events where type = 'userLoginFailed' and username = $1", [
      alice.username,
    ]);
    expect(tried.length).toBeLessThanOrEqual(5);
    expect((await attacker.login(alice.username, alice.password)).status).toBe(429);
  });

  it("counts parallel requests the same way", async () => {
    const alice = await signUp(direct);
    const attacker = direct.client();
    const results = await Promise.all(Array.from({ length: 12 }, () => attacker.login(alice.username, WRONG)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });

  it("gives back a successful login's points, so a batch with the right password still logs in", async () => {
    const alice = await signUp(direct);
    const owner = direct.client();
    const res = await owner.post(batchPath(3), batchBody(3, alice.username, alice.password));
    expect(res.status).toBe(200);
    expect(await failLogins(owner, alice.username, 5)).toEqual([401, 401, 401, 401, 401]);
  });
});

describe("behind a trusted proxy (TRUST_PROXY=true)", () => {
  it("treats distinct X-Forwarded-For addresses as distinct clients, using the nearest entry", async () => {
    const alice = await signUp(proxied);
    const proxy = proxied.client();
    const attackerIp = { "x-forwarded-for": "203.0.113.7" };
    expect(await failLogins(proxy, alice.username, 5, attackerIp)).toEqual([401, 401, 401, 401, 401]);
    expect((await proxy.login(alice.username, WRONG, { headers: attackerIp })).status).toBe(429);
    // Entries to the left are whatever the client claimed; only the nearest one counts.
    const spoofed = { "x-forwarded-for": "192.0.2.1, 203.0.113.7" };
    expect((await proxy.login(alice.username, WRONG, { headers: spoofed })).status).toBe(429);

    const owner = { "x-forwarded-for": "203.0.113.7, 203.0.113.8" };
    expect((await proxy.login(alice.username, WRONG, { headers: owner })).status).toBe(401);
    const login = await proxied.client().login(alice.username, alice.password, { headers: owner });
    expect(login.status).toBe(200);
    const [session] = await proxied.sql<{ ip_address: string }>(
      "select ip_address from sessions where user_id = $1 order by created_at desc limit 1",
      [alice.id],
    );
    expect(session?.ip_address).toBe("203.0.113.8");
  });

  it("caps failures per account across addresses, but not from an address the owner logged in from", async () => {
    const alice = await signUp(proxied, {}, proxied.client());
    const home = { "x-forwarded-for": "192.0.2.200" };
    expect((await proxied.client().login(alice.username, alice.password, { headers: home })).status).toBe(200);

    const botnet = proxied.client();
    for (let i = 0; i < 50; i += 1) {
      const res = await botnet.login(alice.username, WRONG, { headers: { "x-forwarded-for": `10.1.${i}.1` } });
      expect(res.status).toBe(401);
    }
    const fresh = await botnet.login(alice.username, alice.password, { headers: { "x-forwarded-for": "10.2.0.1" } });
    expect(fresh.status).toBe(429);
    expect((await proxied.client().login(alice.username, alice.password, { headers: home })).status).toBe(200);
  });

  it("does not let one address spend the account's budget with attempts its own limit refuses", async () => {
    const alice = await signUp(proxied, {}, proxied.client());
    const attacker = { "x-forwarded-for": "198.51.100.66" };
    const statuses = await failLogins(proxied.client(), alice.username, 60, attacker);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);

    const newNetwork = { "x-forwarded-for": "198.51.100.67" };
    const owner = await proxied.client().login(alice.username, alice.password, { headers: newNetwork });
    expect(owner.status).toBe(200);
  });
});

import { describe, expect, it } from "vitest";
import { useArea } from "../src/harness/area.ts";
import { recordFigures } from "../src/harness/figures.ts";
import { toTrpcResponse, type TrpcResponse } from "../src/harness/http.ts";
import { mailsTo, waitForMail } from "../src/harness/mail.ts";
import { newVictim } from "../src/harness/procedure-inputs.ts";
import { forgedToken, logIn, seedUser, strongPassword, uniqueName, type SeededUser } from "../src/harness/seed.ts";
import { sleep } from "../src/harness/server-process.ts";

const area = useArea("ratelimit");

/** The documented budgets (README "Rate limits"). */
const PAIR_LIMIT = 5;
const ACCOUNT_LIMIT = 50;
const IP_BURST_LIMIT = 30;
const SIGNUPS_PER_IP = 20;
const RESETS_PER_IP = 20;
const RESET_EMAILS_PER_ADDRESS = 3;
const BAD_RESET_LINKS_PER_IP = 20;
const WRONG_CURRENT_PASSWORDS = 10;

/** Sends `count` requests at about `perSecond`, each from `ip(i)`; answers in order. */
async function paced<T>(count: number, perSecond: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const started = Date.now();
  const pending: Promise<T>[] = [];
  for (let i = 0; i < count; i += 1) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    pending.push(send(i));
  }
  return Promise.all(pending);
}

function expectRetryAfter(answer: TrpcResponse): void {
  expect(answer.status).toBe(429);
  expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0);
}

async function wrongLogin(ip: string, username: string, password = "not the password 1"): Promise<TrpcResponse> {
  return area.client({ ip }).mutation("auth.login", { username, password });
}

describe("L1 brute force on one account from many IPs", () => {
  it("L1 200 guesses from 200 IPs: at most the documented 50 get through, then 429 (the same for a made-up name)", async () => {
    const alice = await seedUser(area.sql);
    const ghost = uniqueName("ghost");
    const answers = await paced(400, 40, (i) => wrongLogin(area.ips.next(), i % 2 === 0 ? alice.username : ghost));
    const forAlice = answers.filter((_, i) => i % 2 === 0);
    const forGhost = answers.filter((_, i) => i % 2 === 1);
    const accepted = forAlice.filter((a) => a.status === 401).length;
    const acceptedGhost = forGhost.filter((a) => a.status === 401).length;
    const correct = await area.client().mutation("auth.login", { username: alice.username, password: alice.password });
    await recordFigures("L1 brute force, 200 IPs", {
      acceptedGuesses: accepted,
      acceptedGuessesForUnknownName: acceptedGhost,
      statuses: [...new Set(answers.map((a) => a.status))],
      correctLoginFromNewIpAfterwards: correct.status,
    });
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    expect(accepted).toBeLessThanOrEqual(ACCOUNT_LIMIT);
    expect(accepted).toBeLessThanOrEqual(100);
    expect(Math.abs(accepted - acceptedGhost)).toBeLessThanOrEqual(2);
    const lastAlice = forAlice.at(-1);
    const lastGhost = forGhost.at(-1);
    if (lastAlice && lastGhost) {
      expectRetryAfter(lastAlice);
      expect(lastAlice.body.replace(/\d+/gu, "N")).toBe(lastGhost.body.replace(/\d+/gu, "N"));
    }
  }, 60_000);
});

describe("L2 password spraying from one IP", () => {
  it("L2 one IP trying one password on 200 names is stopped after the per-IP budget, whether the names exist or not", async () => {
    const password = strongPassword();
    const users: SeededUser[] = [];
    for (let i = 0; i < 100; i += 1) users.push(await seedUser(area.sql, { password }));
    const ip = area.ips.next();
    const names = users.flatMap((user) => [user.username, uniqueName("ghost")]);
    const answers = await paced(names.length, 40, (i) => wrongLogin(ip, names[i] ?? "", "Summer2026!"));
    const accepted = answers.filter((a) => a.status === 401).length;
    // Paced requests overlap, so answers are judged as a set: arrival order is not send order.
    const limitedReal = answers.filter((a, i) => i % 2 === 0 && a.status === 429).length;
    const limitedGhost = answers.filter((a, i) => i % 2 === 1 && a.status === 429).length;
    await recordFigures("L2 spraying from one IP", {
      accepted,
      limitedExisting: limitedReal,
      limitedNonexistent: limitedGhost,
    });
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    expect(accepted).toBeLessThanOrEqual(IP_BURST_LIMIT);
    expect(limitedReal).toBeGreaterThan(0);
    expect(limitedGhost).toBeGreaterThan(0);
    expect(Math.abs(limitedReal - limitedGhost)).toBeLessThanOrEqual(IP_BURST_LIMIT);
    expectRetryAfter(answers.at(-1) as TrpcResponse);
  }, 60_000);
});

describe("L3 no malicious lockout", () => {
  it("L3 after a stranger burns alice's budget she still logs in from home, can reset, and the lock expires", async () => {
    const alice = await seedUser(area.sql);
    const home = area.ips.next();
    await logIn(area.client({ ip: home }), alice.username, alice.password);
    await paced(ACCOUNT_LIMIT + 10, 40, () => wrongLogin(area.ips.next(), alice.username));

    const atHome = await area
      .client({ ip: home })
      .mutation("auth.login", { username: alice.username, password: alice.password });
    expect(atHome.status).toBe(200);
    const elsewhere = await area
      .client()
      .mutation("auth.login", { username: alice.username, password: alice.password });
    expect([200, 429]).toContain(elsewhere.status);

    const before = (await mailsTo(area.info.dataDir, alice.email)).length;
    const reset = await area.client().mutation("auth.requestPasswordReset", { email: alice.email });
    expect(reset.status).toBe(200);
    const mail = await waitForMail(area.info.dataDir, alice.email, before);
    expect(mail.resetToken).toBeDefined();

    // An hour later (moved in the database) the account-wide budget is back by itself.
    await area.sql`update rate_limits set expire = now() - interval '1 second' where key like ${`%user:${alice.id}`}`;
    const later = await area.client().mutation("auth.login", { username: alice.username, password: alice.password });
    await recordFigures("L3 lockout", {
      fromHome: atHome.status,
      fromNewIp: elsewhere.status,
      afterExpiry: later.status,
    });
    expect(later.status).toBe(200);
  }, 60_000);
});

describe("L4 limiter bypasses", () => {
  function batchBody(calls: number, username: string): string {
    return JSON.stringify(
      Object.fromEntries(
        Array.from({ length: calls }, (_, i) => [String(i), { json: { username, password: `wrong guess ${i}` } }]),
      ),
    );
  }

  it("L4 (a) batching: more than 10 calls are refused, and each call of a batch is counted", async () => {
    const alice = await seedUser(area.sql);
    const client = area.client();
    // tRPC decodes the path before it splits it at commas: escaped commas count as commas.
    for (const [calls, comma] of [
      [50, ","],
      [11, ","],
      [50, "%2C"],
      [11, "%2c"],
    ] as const) {
      const path = `/trpc/${Array.from({ length: calls }, () => "auth.login").join(comma)}?batch=1`;
      const answer = await client.request("POST", path, {
        body: batchBody(calls, alice.username),
        headers: { "content-type": "application/json" },
      });
      expect(answer.status, `${calls} calls joined by ${comma}`).toBe(400);
    }
    let accepted = 0;
    for (let batch = 0; batch < 3; batch += 1) {
      const path = `/trpc/${Array.from({ length: 10 }, () => "auth.login").join(",")}?batch=1`;
      const answer = await client.request("POST", path, {
        body: batchBody(10, alice.username),
        headers: { "content-type": "application/json" },
      });
      const envelopes = JSON.parse(answer.body) as unknown[];
      expect(envelopes.length).toBe(10);
      for (const envelope of envelopes) {
        const { error } = toTrpcResponse({ ...answer, body: JSON.stringify(envelope) });
        if (error?.code === "UNAUTHORIZED") accepted += 1;
        else expect(error?.code).toBe("TOO_MANY_REQUESTS");
      }
    }
    await recordFigures("L4 batched guesses accepted (3 batches of 10, one IP)", accepted);
    expect(accepted).toBeLessThanOrEqual(PAIR_LIMIT);
  });

  it("L4 (b) path variants reach the same bucket or nothing at all", async () => {
    const alice = await seedUser(area.sql);
    const ip = area.ips.next();
    for (let i = 0; i < PAIR_LIMIT; i += 1) expect((await wrongLogin(ip, alice.username)).status).toBe(401);
    expect((await wrongLogin(ip, alice.username)).status).toBe(429);
    const variants = [
      "//trpc/auth.login",
      "/trpc/auth.login/",
      "/trpc/./auth.login",
      "/TRPC/auth.login",
      "/%74rpc/auth.login",
      "/trpc//auth.login",
      "/trpc/auth.login?x=1",
    ];
    for (const variant of variants) {
      for (const password of ["still wrong 2", alice.password]) {
        const answer = await area.client({ ip }).request("POST", variant, {
          body: JSON.stringify({ json: { username: alice.username, password } }),
          headers: { "content-type": "application/json" },
        });
        expect([404, 405, 429], `${variant}: ${answer.status}`).toContain(answer.status);
      }
    }
  });

  it("L4 (c) X-Forwarded-For, X-Real-IP and CF-Connecting-IP are ignored without a trusted proxy", async () => {
    const alice = await seedUser(area.sql);
    const ip = area.ips.next();
    for (let i = 0; i < PAIR_LIMIT; i += 1) await wrongLogin(ip, alice.username);
    for (let i = 0; i < 6; i += 1) {
      const spoofed = `203.0.113.${i + 1}`;
      const answer = await area.client({ ip }).mutation(
        "auth.login",
        { username: alice.username, password: "another wrong one" },
        {
          headers: {
            "x-forwarded-for": spoofed,
            "x-real-ip": spoofed,
            "cf-connecting-ip": spoofed,
            forwarded: `for=${spoofed}`,
          },
        },
      );
      expect(answer.status).toBe(429);
    }
    const bob = await newVictim(area);
    const spoofing = area.client();
    await spoofing.mutation(
      "auth.login",
      { username: bob.user.username, password: bob.user.password },
      { headers: { "x-forwarded-for": "198.51.100.7" } },
    );
    const sessions = await spoofing.query("auth.sessions.list");
    const current = (sessions.data as { current: boolean; ipAddress: string }[]).find((s) => s.current);
    expect(current?.ipAddress).toBe(spoofing.ip);
  });

  it("L4 (d) spellings of the same account share its bucket; none of them slips past with the right password", async () => {
    const base = uniqueName("alice");
    const alice = await seedUser(area.sql, { username: base, email: `${base}@example.com` });
    const ip = area.ips.next();
    for (let i = 0; i < PAIR_LIMIT; i += 1) await wrongLogin(ip, alice.username);
    const fullwidth = [...base]
      .map((c) => (/[a-z0-9]/u.test(c) ? String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0) : c))
      .join("");
    const variants = [
      base.toUpperCase(),
      ` ${base} `,
      fullwidth,
      `${base}@EXAMPLE.com`,
      `${base.toUpperCase()}@example.com`,
    ];
    const outcome: Record<string, number> = {};
    for (const variant of variants) {
      const answer = await area.client({ ip }).mutation("auth.login", { username: variant, password: alice.password });
      outcome[variant] = answer.status;
      expect([401, 429], `${JSON.stringify(variant)} answered ${answer.status}`).toContain(answer.status);
    }
    await recordFigures(
      "L4 identifier variants after the bucket is spent (429 = same bucket, 401 = not this account)",
      outcome,
    );
  });
});

describe("L5 other expensive endpoints", () => {
  it("L5 sign-ups: 429 with Retry-After after the documented 20 per IP", async () => {
    const ip = area.ips.next();
    const answers: TrpcResponse[] = [];
    for (let i = 0; i < SIGNUPS_PER_IP + 3; i += 1) {
      const username = uniqueName("l5");
      answers.push(
        await area
          .client({ ip })
          .mutation("auth.signup", { username, email: `${username}@example.com`, password: strongPassword() }),
      );
    }
    expect(answers.slice(0, SIGNUPS_PER_IP).every((a) => a.status === 200)).toBe(true);
    for (const answer of answers.slice(SIGNUPS_PER_IP)) expectRetryAfter(answer);
  }, 60_000);

  it("L5 reset requests: 429 after 20 per IP; at most 3 emails an hour to one address while the answer stays the same", async () => {
    const victim = await seedUser(area.sql);
    const ip = area.ips.next();
    const fromOne: TrpcResponse[] = [];
    for (let i = 0; i < RESETS_PER_IP + 3; i += 1) {
      fromOne.push(await area.client({ ip }).mutation("auth.requestPasswordReset", { email: victim.email }));
    }
    expect(fromOne.slice(0, RESETS_PER_IP).every((a) => a.status === 200)).toBe(true);
    for (const answer of fromOne.slice(RESETS_PER_IP)) expectRetryAfter(answer);
    const fromMany = [];
    for (let i = 0; i < 10; i += 1)
      fromMany.push(await area.client().mutation("auth.requestPasswordReset", { email: victim.email }));
    expect(new Set(fromMany.map((a) => `${a.status} ${JSON.stringify(a.data)}`)).size).toBe(1);
    await sleep(1_000);
    expect((await mailsTo(area.info.dataDir, victim.email)).length).toBeLessThanOrEqual(RESET_EMAILS_PER_ADDRESS);
  }, 60_000);

  it("L5 guessing reset tokens: 429 after 20 bad links per IP", async () => {
    const ip = area.ips.next();
    const answers: TrpcResponse[] = [];
    for (let i = 0; i < BAD_RESET_LINKS_PER_IP + 3; i += 1) {
      answers.push(
        await area
          .client({ ip })
          .mutation("auth.confirmPasswordReset", { token: forgedToken(), newPassword: strongPassword() }),
      );
    }
    expect(answers.slice(0, BAD_RESET_LINKS_PER_IP).every((a) => a.status === 400)).toBe(true);
    for (const answer of answers.slice(BAD_RESET_LINKS_PER_IP)) expectRetryAfter(answer);
  });

  it("L5 wrong current passwords: 429 after 10 per user", async () => {
    const victim = await newVictim(area);
    const answers: TrpcResponse[] = [];
    for (let i = 0; i < WRONG_CURRENT_PASSWORDS + 3; i += 1) {
      answers.push(
        await victim.client.mutation("auth.changePassword", {
          oldPassword: `wrong ${i} pw`,
          newPassword: strongPassword(),
        }),
      );
    }
    expect(answers.slice(0, WRONG_CURRENT_PASSWORDS).every((a) => a.status === 400)).toBe(true);
    for (const answer of answers.slice(WRONG_CURRENT_PASSWORDS)) expectRetryAfter(answer);
  });
});

import { verifyPassword } from "@tsbin/auth-core/server";
import { describe, expect, it } from "vitest";
import { useArea } from "../src/harness/area.ts";
import { recordFigures } from "../src/harness/figures.ts";
import type { Client, TrpcResponse } from "../src/harness/http.ts";
import { logOffset, serverErrorsSince } from "../src/harness/logs.ts";
import { resetTokenFor } from "../src/harness/procedure-inputs.ts";
import { recordSecret } from "../src/harness/record.ts";
import { logIn, seedUser, strongPassword, uniqueName } from "../src/harness/seed.ts";

const area = useArea("concurrency");

/** Clients with an open keep-alive connection each, so that a burst leaves at the same instant. */
async function warmClients(count: number): Promise<Client[]> {
  const clients = Array.from({ length: count }, () => area.client({ keepAlive: true }));
  await Promise.all(clients.map((client) => client.request("GET", "/healthz", { noRecord: true })));
  return clients;
}

function statusCounts(answers: readonly TrpcResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
  return counts;
}

async function storedHash(userId: number): Promise<string> {
  const [row] = await area.sql<{ password: string }[]>`select password from users where id = ${userId}`;
  return row?.password ?? "";
}

describe("C1 concurrent sign-ups", () => {
  async function burst(inputs: { username: string; email: string }[]): Promise<TrpcResponse[]> {
    const clients = await warmClients(inputs.length);
    return Promise.all(
      inputs.map((input, i) => {
        const password = strongPassword();
        return (clients[i] as Client).mutation("auth.signup", { ...input, password });
      }),
    );
  }

  async function expectOneWinner(answers: TrpcResponse[], label: string): Promise<void> {
    const counts = statusCounts(answers);
    await recordFigures(`C1 ${label}`, counts);
    expect(counts["200"] ?? 0, label).toBe(1);
    expect(
      answers.filter((a) => a.status !== 200).every((a) => a.status === 409),
      JSON.stringify(counts),
    ).toBe(true);
    for (const loser of answers.filter((a) => a.status === 409))
      expect(loser.error?.message ?? "").toMatch(/already exists/u);
  }

  it("C1 50 sign-ups for one username: exactly one account, the rest 409, one profile", async () => {
    const username = uniqueName("c1u");
    const answers = await burst(
      Array.from({ length: 50 }, () => ({ username, email: `${uniqueName("m")}@example.com` })),
    );
    await expectOneWinner(answers, "same username");
    const users = await area.sql<{ id: number }[]>`select id from users where username_key = ${username}`;
    expect(users.length).toBe(1);
    expect((await area.sql`select 1 from profiles where user_id = ${users[0]?.id ?? -1}`).length).toBe(1);
  }, 60_000);

  it("C1 50 sign-ups for one email address: exactly one account, the rest 409", async () => {
    const email = `${uniqueName("c1e")}@example.com`;
    const answers = await burst(Array.from({ length: 50 }, () => ({ username: uniqueName("c1x"), email })));
    await expectOneWinner(answers, "same email");
    const users = await area.sql<{ id: number }[]>`select id from users where email_key = ${email}`;
    expect(users.length).toBe(1);
    expect((await area.sql`select 1 from profiles where user_id = ${users[0]?.id ?? -1}`).length).toBe(1);
  }, 60_000);

  it("C1 20 sign-ups with case and NFKC variants of one name: exactly one account", async () => {
    const base = uniqueName("c1v");
    const fullwidth = [...base].map((c) => String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0)).join("");
    const spellings = [
      base,
      base.toUpperCase(),
      fullwidth,
      `${base[0]?.toUpperCase() ?? ""}${base.slice(1)}`,
      fullwidth.toUpperCase(),
    ];
    const answers = await burst(
      Array.from({ length: 20 }, (_, i) => ({
        username: spellings[i % spellings.length] ?? base,
        email: `${uniqueName("m")}@example.com`,
      })),
    );
    await expectOneWinner(answers, "name variants");
    expect((await area.sql`select 1 from users where username_key = ${base}`).length).toBe(1);
    const orphans =
      await area.sql`select 1 from users u left join profiles p on p.user_id = u.id where p.user_id is null`;
    expect(orphans.length).toBe(0);
  }, 60_000);
});

describe("C2 lost updates to counters", () => {
  it("C2 (a) 100 parallel wrong passwords from one IP: no more than the limit of 5 are checked", async () => {
    const user = await seedUser(area.sql);
    const ip = area.ips.next();
    const clients = Array.from({ length: 100 }, () => area.client({ ip }));
    const answers = await Promise.all(
      clients.map((client, i) => client.mutation("auth.login", { username: user.username, password: `guess ${i}` })),
    );
    const counts = statusCounts(answers);
    await recordFigures("C2 (a) 100 parallel guesses, one IP", counts);
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    expect(counts["401"] ?? 0).toBeLessThanOrEqual(5);
  }, 60_000);

  it("C2 (b) the account's failure counter ends at exactly the number of attempts it counted: no lost increment", async () => {
    const user = await seedUser(area.sql);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        area.client().mutation("auth.login", { username: user.username, password: `guess ${i}` }),
      ),
    );
    const failures = answers.filter((a) => a.status === 401).length;
    const rows = await area.sql<{ key: string; points: number }[]>`
      select key, points from rate_limits where key like ${"loginFailuresPerUsername%"} and key like ${`%user:${user.id}`}`;
    expect(rows.length).toBe(1);
    const points = rows[0]?.points ?? -1;
    await recordFigures("C2 (b) account failure counter", { attempts: answers.length, failures, points });
    // Counted before the check (every attempt) or after it (every failure): either way, nothing lost.
    expect([answers.length, failures]).toContain(points);
  }, 60_000);
});

describe("C3 double use of a reset token", () => {
  it("C3 20 parallel confirms of one token: exactly one wins and only its password verifies", async () => {
    const user = await seedUser(area.sql);
    const token = await resetTokenFor(area, user);
    const passwords = Array.from({ length: 20 }, () => strongPassword());
    const clients = await warmClients(20);
    const answers = await Promise.all(
      clients.map((client, i) => client.mutation("auth.confirmPasswordReset", { token, newPassword: passwords[i] })),
    );
    const counts = statusCounts(answers);
    await recordFigures("C3 parallel confirms", counts);
    expect(counts["200"] ?? 0).toBe(1);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 400)).toBe(true);
    const winner = passwords[answers.findIndex((a) => a.status === 200)] ?? "";
    const hash = await storedHash(user.id);
    const verifying = [];
    for (const password of passwords) if ((await verifyPassword(password, hash)).valid) verifying.push(password);
    expect(verifying).toEqual([winner]);
    const [row] = await area.sql<
      { used_at: Date | null }[]
    >`select used_at from password_reset_tokens where id = ${token.split(".")[0] ?? ""}`;
    expect(row?.used_at).not.toBeNull();
  }, 60_000);
});

describe("C4 password change and logout races", () => {
  it("C4 (a) 10 parallel changes from two sessions: one wins, its password is the stored one", async () => {
    const user = await seedUser(area.sql);
    const a = area.client({ keepAlive: true });
    const b = area.client({ keepAlive: true });
    await logIn(a, user.username, user.password);
    await logIn(b, user.username, user.password);
    const passwords = Array.from({ length: 10 }, () => strongPassword());
    const answers = await Promise.all(
      passwords.map((newPassword, i) =>
        (i % 2 === 0 ? a : b).mutation(
          "auth.changePassword",
          { oldPassword: user.password, newPassword },
          { keepJar: true },
        ),
      ),
    );
    const counts = statusCounts(answers);
    await recordFigures("C4 (a) parallel password changes", counts);
    expect(counts["200"] ?? 0).toBe(1);
    expect(
      answers.filter((x) => x.status !== 200).every((x) => [400, 401, 409].includes(x.status)),
      JSON.stringify(counts),
    ).toBe(true);
    const winner = passwords[answers.findIndex((x) => x.status === 200)] ?? "";
    const hash = await storedHash(user.id);
    const verifying = [];
    for (const password of [user.password, ...passwords])
      if ((await verifyPassword(password, hash)).valid) verifying.push(password);
    expect(verifying).toEqual([winner]);
  }, 60_000);

  it("C4 (b) a logout racing 20 requests: no 5xx, and everything sent after it is 401", async () => {
    const offset = logOffset(area.info.logFile);
    const user = await seedUser(area.sql);
    const owner = area.client();
    await logIn(owner, user.username, user.password);
    const token = owner.sessionToken ?? "";
    const racers = Array.from({ length: 20 }, () => {
      const client = area.client();
      client.setSessionToken(token);
      return client.query("auth.sessions.list", undefined, { keepJar: true });
    });
    const logout = owner.mutation("auth.logout", {});
    const answers = await Promise.all(racers);
    expect((await logout).status).toBe(200);
    expect(
      answers.every((x) => x.status === 200 || x.status === 401),
      JSON.stringify(statusCounts(answers)),
    ).toBe(true);
    for (let i = 0; i < 5; i += 1) {
      const late = area.client();
      late.setSessionToken(token);
      expect((await late.query("auth.sessions.list", undefined, { keepJar: true })).status).toBe(401);
    }
    expect(serverErrorsSince(area.info.logFile, offset)).toEqual([]);
  });

  it("C4 (c) after a password change commits, no request of the other session succeeds", async () => {
    const user = await seedUser(area.sql);
    const changer = area.client();
    const other = area.client({ keepAlive: true });
    await logIn(changer, user.username, user.password);
    await logIn(other, user.username, user.password);
    let committedAt = Number.POSITIVE_INFINITY;
    let stop = false;
    const late: { startedAt: number; status: number }[] = [];
    const loop = (async (): Promise<void> => {
      while (!stop) {
        const startedAt = performance.now();
        const answer = await other.query("auth.sessions.list", undefined, { keepJar: true, noRecord: true });
        late.push({ startedAt, status: answer.status });
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const newPassword = strongPassword();
    recordSecret("password", newPassword);
    const change = await changer.mutation("auth.changePassword", { oldPassword: user.password, newPassword });
    committedAt = performance.now();
    expect(change.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await loop;
    const after = late.filter((entry) => entry.startedAt > committedAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((entry) => entry.status === 401)).toBe(true);
    expect(late.every((entry) => entry.status === 200 || entry.status === 401)).toBe(true);
  });
});

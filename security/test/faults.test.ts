import { verifyPassword } from "@tsbin/auth-core/server";
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useArea } from "../src/harness/area.ts";
import { recordFigures } from "../src/harness/figures.ts";
import { Client, RequestTimeoutError, type HttpResponse, type TrpcResponse } from "../src/harness/http.ts";
import { clusterSql, createCluster, type PgCluster } from "../src/harness/pg-cluster.ts";
import { forgedToken, strongPassword, uniqueName } from "../src/harness/seed.ts";
import { healthStatus, sleep, startTsbin, type TsbinProcess } from "../src/harness/server-process.ts";
import { median, round, seededRandom } from "../src/harness/stats.ts";

const area = useArea("faults");
/** The app's pool waits this long for a connection (connect_timeout 5 s): the time-to-fail target. */
const FAIL_FAST_MS = 5_000;
const RECOVER_MS = 10_000;
const OUTAGE_CYCLES = 2;
const OUTAGE_MS = [2_500, 6_000];
const KILL_ITERATIONS = 3;
const WRITERS = 20;
const random = seededRandom(20_260_807);

let cluster: PgCluster;
let app: TsbinProcess;
const figures: Record<string, unknown> = {};

function appDatabaseUrl(): string {
  return `postgres://app@127.0.0.1:${cluster.port}/tsbin`;
}

async function superSql<T extends readonly object[]>(text: string, params: (string | number)[] = []): Promise<T> {
  return clusterSql<T>(cluster.adminUrl("tsbin"), text, params);
}

function client(options: { browser?: boolean; ip?: string } = {}): Client {
  return new Client({ ip: options.ip ?? area.ips.next(), baseUrl: app.baseUrl, browser: options.browser });
}

async function startApp(port?: number): Promise<TsbinProcess> {
  return startTsbin({
    name: "faults",
    runDir: area.info.runDir,
    databaseUrl: appDatabaseUrl(),
    port,
    readyTimeoutMs: 60_000,
  });
}

interface SignedUp {
  username: string;
  password: string;
  token: string;
}

async function signUp(ip?: string): Promise<{ answer: TrpcResponse; user: SignedUp }> {
  const c = client({ ip });
  const username = uniqueName("f");
  const password = strongPassword();
  const answer = await c.mutation(
    "auth.signup",
    { username, email: `${username}@example.com`, password },
    { timeoutMs: 15_000 },
  );
  return { answer, user: { username, password, token: c.sessionToken ?? "" } };
}

function isGenericJsonError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as unknown;
    const text = JSON.stringify(parsed);
    return /"message"/u.test(text) && !/(\bat [^"]+:\d+:\d+|node_modules|\/work\/|ECONNREFUSED|postgres)/iu.test(text);
  } catch {
    return false;
  }
}

beforeAll(async () => {
  cluster = await createCluster(["shared_preload_libraries=pg_stat_statements"]);
  await clusterSql(cluster.adminUrl(), "create role app login");
  await clusterSql(cluster.adminUrl(), "create database tsbin owner app");
  await superSql("create extension if not exists pg_stat_statements");
  app = await startApp();
  figures["machine"] = {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? "",
    node: process.version,
    postgres: (await superSql<{ v: string }[]>("select current_setting('server_version') as v"))[0]?.v ?? "",
    loadAverage: os.loadavg().map((v) => round(v)),
  };
}, 180_000);

/** Crashes of the app process seen by the checks, with the last lines it printed. */
const crashes: { during: string; log: string }[] = [];

/** Restarts tsbin if a check crashed it, so one crash does not fail every later check too. */
async function ensureApp(during: string): Promise<void> {
  if (app.isRunning()) return;
  const log = readFileSync(app.logFile, "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("{"))
    .slice(-8)
    .join("\n");
  crashes.push({ during, log });
  app = await startApp(app.port);
}

beforeEach(async (context) => {
  await ensureApp(`before ${context.task.name}`);
}, 60_000);

afterAll(async () => {
  figures["appCrashes"] = crashes;
  await recordFigures("faults", figures, "faults.json");
  await app?.stop();
  await cluster?.destroy();
}, 60_000);

describe("V7 only parameterized statements reach PostgreSQL", () => {
  it("V7 pg_stat_statements shows no injected SQL after the payloads of V7 went through every input", async () => {
    await superSql("select pg_stat_statements_reset()");
    const payloads = ["' OR '1'='1", "admin'--", '"; DROP TABLE users;--', "'||pg_sleep(5)--", "1) OR (1=1"];
    const { user } = await signUp();
    const member = client();
    member.setSessionToken(user.token);
    for (const payload of payloads) {
      await client().mutation("auth.login", { username: payload, password: payload });
      await client().mutation("auth.signup", { username: payload, email: `${payload}@example.com`, password: payload });
      await client().mutation("auth.requestPasswordReset", { email: payload });
      await client().mutation("auth.checkResetToken", { token: payload });
      await member.mutation("auth.updateAccount", {
        firstName: payload,
        lastName: payload,
        email: `${user.username}@example.com`,
      });
      await member.mutation("auth.sessions.revoke", { id: payload });
    }
    const statements = await superSql<{ query: string }[]>(
      "select query from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = 'tsbin'",
    );
    expect(statements.length).toBeGreaterThan(5);
    const injected = statements.filter((s) => /pg_sleep|drop\s+table|or\s+\$\d+\s*=\s*\$\d+|--/iu.test(s.query));
    expect(injected.map((s) => s.query)).toEqual([]);
  });
});

describe("F2 killed idle connections", () => {
  it("F2 after pg_terminate_backend on every idle app connection, the next requests succeed", async () => {
    const { user } = await signUp();
    const member = client();
    member.setSessionToken(user.token);
    expect((await member.me()).username).toBe(user.username);
    await sleep(200);
    const killed = await superSql<{ pid: number }[]>(
      "select pg_terminate_backend(pid), pid from pg_stat_activity where application_name = 'tsbin' and state = 'idle'",
    );
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1)
      statuses.push((await member.query("auth.sessions.list", undefined, { keepJar: true })).status);
    const failed = statuses.filter((status) => status !== 200).length;
    figures["terminateIdleBackends"] = { killed: killed.length, failedRequestsOf10: failed };
    expect(killed.length).toBeGreaterThan(0);
    expect(failed).toBeLessThanOrEqual(killed.length);
    expect(statuses.at(-1)).toBe(200);
  });
});

describe("F4 authorization fails closed", () => {
  it("F4 (a) with the sessions table unreadable, a valid cookie gets 5xx, never data", async () => {
    const { user } = await signUp();
    const member = client();
    member.setSessionToken(user.token);
    await superSql("revoke all on sessions from app");
    try {
      for (const answer of [await member.query("auth.me"), await member.query("auth.sessions.list")]) {
        expect([500, 503], answer.body).toContain(answer.status);
        expect(answer.body.includes(user.username)).toBe(false);
      }
      const login = await client().mutation("auth.login", { username: user.username, password: user.password });
      expect([500, 503]).toContain(login.status);
    } finally {
      await superSql("grant all on sessions to app");
    }
    expect((await member.me()).username).toBe(user.username);
  });

  it("F4 (c) with the rate-limit store failing, logins fail closed instead of running unlimited", async () => {
    const { user } = await signUp();
    await superSql("revoke all on rate_limits from app");
    try {
      for (const password of ["wrong password 1", user.password]) {
        const answer = await client().mutation("auth.login", { username: user.username, password });
        expect([500, 503], `${answer.status} ${answer.body.slice(0, 100)}`).toContain(answer.status);
      }
    } finally {
      await superSql("grant all on rate_limits to app");
    }
    expect((await client().mutation("auth.login", { username: user.username, password: user.password })).status).toBe(
      200,
    );
  });
});

describe("F3 no half-written sign-up", () => {
  it("F3 a sign-up whose connection dies between user and profile leaves no orphan, and the retry works", async () => {
    await superSql(`create or replace function security_slow_profile() returns trigger language plpgsql as $$
      begin perform pg_sleep(3); return new; end $$`);
    await superSql(
      "create trigger security_slow_profile before insert on profiles for each row execute function security_slow_profile()",
    );
    const username = uniqueName("f3");
    const password = strongPassword();
    const input = { username, email: `${username}@example.com`, password };
    let status: number;
    try {
      const pending = client().mutation("auth.signup", input, { timeoutMs: 20_000 });
      await sleep(1_200);
      await superSql(
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'tsbin' and query ilike '%profiles%' and state = 'active'",
      );
      status = await pending.then(
        (answer) => answer.status,
        () => 0,
      );
      await sleep(500);
    } finally {
      await superSql("drop trigger if exists security_slow_profile on profiles");
    }
    const survived = app.isRunning();
    await ensureApp("F3 backend terminated inside the sign-up transaction");
    const orphans = await superSql<{ id: number }[]>(
      "select u.id from users u left join profiles p on p.user_id = u.id where p.user_id is null",
    );
    expect(orphans).toEqual([]);
    expect((await superSql<{ id: number }[]>("select id from users where username = $1", [username])).length).toBe(0);
    const retry = await client().mutation("auth.signup", input);
    expect(retry.status).toBe(200);
    expect(
      survived,
      `tsbin crashed when its backend was terminated mid-transaction:\n${crashes.at(-1)?.log ?? ""}`,
    ).toBe(true);
    expect([500, 503]).toContain(status);
  }, 60_000);
});

describe("F1 a hung database (lock held)", () => {
  it("F1 (b) while users is locked, a login fails with 503 within the statement timeout and the pool survives", async () => {
    const { user } = await signUp();
    const member = client();
    member.setSessionToken(user.token);
    const locker = postgres(cluster.adminUrl("tsbin"), { max: 1, onnotice: () => undefined });
    const held = locker.begin(async (tx) => {
      await tx.unsafe("lock table users in access exclusive mode");
      await tx.unsafe("select pg_sleep(12)");
    });
    await sleep(300);
    const started = performance.now();
    const during = await Promise.all(
      Array.from({ length: 4 }, () =>
        client().mutation("auth.login", { username: user.username, password: user.password }, { timeoutMs: 30_000 }),
      ),
    );
    const elapsed = performance.now() - started;
    await held;
    await locker.end({ timeout: 2 });
    const after = await Promise.all(
      Array.from({ length: 12 }, () =>
        member.query("auth.sessions.list", undefined, { keepJar: true, timeoutMs: 5_000 }),
      ),
    );
    figures["lockTimeout"] = {
      loginStatuses: during.map((a) => a.status),
      secondsToAnswer: round(elapsed / 1000),
      afterReleaseStatuses: [...new Set(after.map((a) => a.status))],
    };
    for (const answer of during) {
      expect(answer.status).toBe(503);
      expect(isGenericJsonError(answer.body)).toBe(true);
    }
    expect(elapsed).toBeLessThan(12_000);
    expect(after.every((a) => a.status === 200)).toBe(true);
  }, 60_000);
});

interface Sample {
  name: string;
  startedAt: number;
  endedAt: number;
  /** HTTP status, or 0 for a reset/refused connection, -1 for no answer within the timeout. */
  status: number;
  body: string;
}

describe("F1/F2 database outage and recovery (section 3 figure 5)", () => {
  interface Cycle {
    stoppedAt: number;
    /** When `pg_ctl start` was run: the end of the outage proper. */
    startRequestedAt: number;
    startedAgainAt: number;
    samples: Sample[];
    healthDuring: number;
    healthAfter: number;
    recoveredAt: number;
    rssMiB: number;
    crashed: boolean;
    /** The recovery probes after pg_ctl start: status and duration of each. */
    probes: string[];
  }
  const cycles: Cycle[] = [];
  let outageCrashes = 0;
  let beforeOutage: SignedUp;

  beforeAll(async () => {
    beforeOutage = (await signUp()).user;
    const pidBefore = app.pid;
    const crashesBefore = crashes.length;
    for (let cycle = 0; cycle < OUTAGE_CYCLES; cycle += 1) {
      const samples: Sample[] = [];
      let running = true;
      const member = client();
      member.setSessionToken(beforeOutage.token);
      const loops: [string, () => Promise<HttpResponse>][] = [
        [
          "auth.me (session)",
          () => member.query("auth.me", undefined, { keepJar: true, timeoutMs: 15_000, noRecord: true }),
        ],
        [
          "auth.login",
          () =>
            client().mutation(
              "auth.login",
              { username: beforeOutage.username, password: beforeOutage.password },
              { timeoutMs: 15_000, noRecord: true },
            ),
        ],
        ["auth.signup", async () => (await signUp()).answer],
        [
          "auth.checkResetToken",
          () =>
            client().mutation("auth.checkResetToken", { token: forgedToken() }, { timeoutMs: 15_000, noRecord: true }),
        ],
      ];
      const workers = loops.map(async ([name, send]) => {
        while (running) {
          const startedAt = performance.now();
          let status: number;
          let body = "";
          try {
            const answer = await send();
            status = answer.status;
            body = answer.body;
          } catch (error) {
            status = error instanceof RequestTimeoutError ? -1 : 0;
          }
          samples.push({ name, startedAt, endedAt: performance.now(), status, body });
          await sleep(100);
        }
      });
      await sleep(800);
      await cluster.stopImmediate();
      const stoppedAt = performance.now();
      // A short outage, then a longer one (a restart that takes a few seconds): the pool's reconnect backoff
      // grows with every failed attempt during the outage.
      await sleep(OUTAGE_MS[cycle] ?? 2_500);
      const healthDuring = await healthStatus(app.port, 5_000);
      // The outage ends when the start is requested: PostgreSQL accepts connections before
      // `pg_ctl start -w` notices (it polls), and a request answered in that gap may rightly succeed.
      const startRequestedAt = performance.now();
      await cluster.start();
      const startedAgainAt = performance.now();
      let recoveredAt = Number.NaN;
      const probes: string[] = [];
      while (performance.now() - startedAgainAt < 25_000) {
        const sent = performance.now();
        const probe = await member
          .query("auth.me", undefined, { keepJar: true, timeoutMs: 15_000, noRecord: true })
          .catch(() => undefined);
        probes.push(`${probe?.status ?? "error"} after ${Math.round(performance.now() - sent)} ms`);
        if (probe?.status === 200) {
          recoveredAt = performance.now();
          break;
        }
        await sleep(250);
      }
      await sleep(500);
      running = false;
      await Promise.all(workers);
      cycles.push({
        stoppedAt,
        startRequestedAt,
        startedAgainAt,
        samples,
        healthDuring,
        healthAfter: await healthStatus(app.port),
        recoveredAt,
        rssMiB: round(app.rssBytes() / 1024 / 1024),
        crashed: !app.isRunning(),
        probes,
      });
      await ensureApp(`database outage cycle ${cycle + 1}`);
    }
    outageCrashes = crashes.length - crashesBefore;
    const outage = cycles.map((cycle, index) => {
      const during = cycle.samples.filter((s) => s.startedAt >= cycle.stoppedAt && s.endedAt <= cycle.startRequestedAt);
      const mix: Record<string, number> = {};
      for (const sample of during) {
        const key = sample.status === -1 ? "hang" : sample.status === 0 ? "reset" : String(sample.status);
        mix[key] = (mix[key] ?? 0) + 1;
      }
      const firstAfterStop = cycle.samples
        .filter((s) => s.startedAt >= cycle.stoppedAt)
        .sort((a, b) => a.startedAt - b.startedAt)[0];
      return {
        outageMs: OUTAGE_MS[index] ?? 2_500,
        timeToFailMs: firstAfterStop ? round(firstAfterStop.endedAt - firstAfterStop.startedAt) : null,
        maxLatencyDuringOutageMs: round(Math.max(0, ...during.map((s) => s.endedAt - s.startedAt))),
        mix,
        healthzDuring: cycle.healthDuring,
        healthzAfter: cycle.healthAfter,
        timeToRecoverMs: round(cycle.recoveredAt - cycle.startedAgainAt),
        rssMiB: cycle.rssMiB,
        appCrashed: cycle.crashed,
        recoveryProbes: cycle.probes,
      };
    });
    figures["dbOutage"] = { cycles: outage, appRestarts: app.pid === pidBefore ? 0 : outageCrashes };
  }, 180_000);

  it("F1 (a) with PostgreSQL stopped every call fails fast with a generic 503 and /healthz reports 503", () => {
    expect(outageCrashes, JSON.stringify(crashes.at(-1) ?? {})).toBe(0);
    for (const cycle of cycles) {
      const during = cycle.samples.filter((s) => s.startedAt >= cycle.stoppedAt && s.endedAt <= cycle.startRequestedAt);
      expect(during.length).toBeGreaterThan(0);
      for (const sample of during) {
        expect(sample.status, `${sample.name} answered ${sample.status}`).toBe(503);
        expect(sample.endedAt - sample.startedAt, sample.name).toBeLessThanOrEqual(FAIL_FAST_MS);
        expect(isGenericJsonError(sample.body), sample.body.slice(0, 200)).toBe(true);
      }
      // Requests in flight at the moment of the crash must not hang either.
      const straddling = cycle.samples.filter((s) => s.startedAt < cycle.stoppedAt && s.endedAt > cycle.stoppedAt);
      for (const sample of straddling) expect(sample.status, `${sample.name} (in flight)`).not.toBe(-1);
      expect(cycle.healthDuring).toBe(503);
    }
  });

  it("F2 after pg_ctl start the same process serves again within 10 s; sessions from before still work; memory flat", async () => {
    expect(outageCrashes, JSON.stringify(crashes.at(-1) ?? {})).toBe(0);
    for (const cycle of cycles) {
      expect(cycle.recoveredAt - cycle.startedAgainAt).toBeLessThanOrEqual(RECOVER_MS);
      expect(cycle.healthAfter).toBe(200);
    }
    const member = client();
    member.setSessionToken(beforeOutage.token);
    expect((await member.me()).username).toBe(beforeOutage.username);
    const rss = cycles.map((cycle) => cycle.rssMiB);
    expect((rss.at(-1) ?? 0) - (rss[0] ?? 0)).toBeLessThan(50);
  });
});

describe("F5 crashes lose no acknowledged write (section 3 figure 4)", () => {
  interface Ack extends SignedUp {
    iteration: number;
  }
  const acks: Ack[] = [];
  const iterations: Record<string, unknown>[] = [];
  let ackFd = -1;

  function acknowledge(ack: Ack): void {
    acks.push(ack);
    writeSync(ackFd, `${JSON.stringify({ username: ack.username, iteration: ack.iteration })}\n`);
    fsyncSync(ackFd);
  }

  /** 20 writers signing up (then logging in) until stopped; every 2xx is fsync-logged before it counts. */
  function startWriters(iteration: number): { stop: () => Promise<void> } {
    let running = true;
    const writers = Array.from({ length: WRITERS }, async () => {
      let ip = area.ips.next();
      let uses = 0;
      while (running) {
        if (uses >= 15) {
          ip = area.ips.next();
          uses = 0;
        }
        uses += 1;
        try {
          const { answer, user } = await signUp(ip);
          if (answer.status === 200) acknowledge({ ...user, iteration });
          else await sleep(100);
        } catch {
          await sleep(100);
        }
      }
    });
    return {
      stop: async () => {
        running = false;
        await Promise.all(writers);
      },
    };
  }

  async function audit(
    iteration: number,
  ): Promise<{ acknowledged: number; lost: number; orphans: number; duplicates: number }> {
    const mine = acks.filter((ack) => ack.iteration === iteration);
    const names = mine.map((ack) => ack.username);
    const found =
      names.length === 0
        ? []
        : await superSql<{ username: string }[]>("select username from users where username = any($1::text[])", [
            `{${names.join(",")}}`,
          ]);
    const present = new Set(found.map((row) => row.username));
    const orphans = await superSql<{ id: number }[]>(
      "select u.id from users u left join profiles p on p.user_id = u.id where p.user_id is null",
    );
    const duplicates = await superSql<{ n: number }[]>(
      "select count(*)::int as n from (select username_key from users group by 1 having count(*) > 1) d",
    );
    return {
      acknowledged: mine.length,
      lost: mine.filter((ack) => !present.has(ack.username)).length,
      orphans: orphans.length,
      duplicates: duplicates[0]?.n ?? 0,
    };
  }

  beforeAll(async () => {
    ackFd = openSync(path.join(area.info.runDir, "faults-acks.jsonl"), "a");
    const readyTimes: number[] = [];
    for (let iteration = 0; iteration < KILL_ITERATIONS; iteration += 1) {
      const writers = startWriters(iteration);
      const killAfter = 2_000 + Math.floor(random() * 2_000);
      await sleep(killAfter);
      await ensureApp(`F5 iteration ${iteration + 1} (before the kill)`);
      await app.kill9();
      await writers.stop();
      const port = app.port;
      app = await startApp(port);
      readyTimes.push(app.readyMs);
      iterations.push({
        kind: "kill -9",
        killAfterMs: killAfter,
        readyMs: round(app.readyMs),
        ...(await audit(iteration)),
      });
    }
    // The same with the database crashing instead of the app.
    const pgIteration = KILL_ITERATIONS;
    const writers = startWriters(pgIteration);
    await sleep(2_000);
    await cluster.stopImmediate();
    await sleep(1_000);
    await cluster.start();
    await sleep(2_000);
    await writers.stop();
    const survived = app.isRunning();
    await ensureApp("F5 database crash under sign-up load");
    iterations.push({ kind: "pg_ctl stop -m immediate", appSurvived: survived, ...(await audit(pgIteration)) });
    closeSync(ackFd);
    figures["crashes"] = {
      iterations,
      acknowledged: acks.length,
      lost: iterations.reduce((sum, it) => sum + Number(it["lost"] ?? 0), 0),
      readyAfterRestartMs: { p50: round(median(readyTimes)), max: round(Math.max(...readyTimes)) },
    };
  }, 240_000);

  it("F5 every acknowledged sign-up survives kill -9 and a database crash; no orphan, no duplicate", () => {
    expect(acks.length).toBeGreaterThan(0);
    for (const iteration of iterations) {
      expect(iteration["lost"], JSON.stringify(iteration)).toBe(0);
      expect(iteration["orphans"], JSON.stringify(iteration)).toBe(0);
      expect(iteration["duplicates"], JSON.stringify(iteration)).toBe(0);
    }
  });

  it("F5 acknowledged passwords verify and acknowledged sessions still work after the restarts", async () => {
    const sample = acks.filter((_, i) => i % Math.max(1, Math.floor(acks.length / 30)) === 0).slice(0, 30);
    for (const ack of sample) {
      const [row] = await superSql<{ password: string }[]>("select password from users where username = $1", [
        ack.username,
      ]);
      expect((await verifyPassword(ack.password, row?.password ?? "")).valid, ack.username).toBe(true);
      const member = client();
      member.setSessionToken(ack.token);
      expect((await member.me()).username, ack.username).toBe(ack.username);
    }
  }, 120_000);
});

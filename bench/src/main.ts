/**
 * `pnpm bench`: builds the API (and the SPA), starts the API against DATABASE_URL's server (or PGlite),
 * seeds users and sessions, and measures, with autocannon against 127.0.0.1 only, in each of
 * `runs` runs: the raw hash limit, W0 (floors), W1 (auth.me), W2 (login), W3 (auth.me during a
 * login storm) and W4 (sign-up), plus the API's peak RSS per workload. Prints one table, writes
 * bench/results/<date>.json and .md and bench/RESULTS.md. See bench/README.md.
 */
import { measureVerifyThroughput } from "../../packages/auth-core/bench/hashers.bench.ts";
import { availableParallelism, tmpdir } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  API_ENTRY,
  API_NODE_FLAGS,
  BENCH_DIR,
  defaultSettings,
  FLOOR_SERVER,
  REPO_ROOT,
  WEB_DIST,
  REPORT_RESERVE_MS,
  type Settings,
} from "./config.ts";
import { openBenchDatabase, PASSWORD, preferredHasher, seed, USER_PREFIX, type SeededUser } from "./database.ts";
import { runLoad, type LoadRequest } from "./load.ts";
import { combineMeasured, weightedMean, type Measured } from "./measured.ts";
import { compareRuns, comparisonLines, readCommitted } from "./compare.ts";
import { installedVersion, loadAverage, machineInfo, sourceRevision } from "./machine.ts";
import { cpuMs, machineCpu, machineUse, mainThreadCpuMs, postgresCpuMs } from "./cpu.ts";
import { PeakMemory } from "./memory.ts";
import { freePorts, killAll, run, startNode, stop, type Started } from "./processes.ts";
import { buildReport, printTable, renderResults, writeResults, type Figures, type ReportInput } from "./report.ts";
import { ratio } from "./stats.ts";
import { measureLoginRouteJs, type WebSize } from "./web-size.ts";
import { writeFlameGraph } from "./flamegraph.ts";
import type { CpuProfile } from "./cpu-profile.ts";
import { formatSummary, summariseProfile } from "./profile-summary.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { fitsAnotherRun, skippedRunsNote } from "./time-plan.ts";
import { settle } from "./settle.ts";

const { values: args } = parseArgs({
  // `pnpm bench -- --quick` passes the "--" along.
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    runs: { type: "string" },
    quick: { type: "boolean", default: false },
    "skip-build": { type: "boolean", default: false },
    "api-entry": { type: "string" },
    "node-flags": { type: "string" },
    "login-processes": { type: "string" },
    "log-level": { type: "string" },
    profile: { type: "string" },
    "no-save": { type: "boolean", default: false },
    label: { type: "string" },
    workloads: { type: "string", default: "w0,w1,w2,w3,w4" },
    "same-ip": { type: "boolean", default: false },
    render: { type: "string" },
    "time-limit": { type: "string" },
    "keep-logs": { type: "boolean", default: false },
    "report-json": { type: "string" },
  },
});
const workloads = new Set(args.workloads.split(",").map((w) => w.trim().toLowerCase()));

const settings: Settings = defaultSettings(args.quick);
if (args.runs) settings.runs = Math.max(1, Math.min(5, Number(args.runs)));
if (args["login-processes"]) settings.loginProcesses = Math.max(1, Number(args["login-processes"]));
if (args["log-level"]) settings.logLevel = args["log-level"];
if (args["time-limit"]) {
  const minutes = Number(args["time-limit"]);
  if (!(minutes > 0)) throw new Error(`--time-limit takes minutes, a positive number (got "${args["time-limit"]}")`);
  settings.timeLimitMs = minutes * 60_000;
}
const apiEntry = path.resolve(args["api-entry"] ?? API_ENTRY);
/** Node flags of every API process: `pnpm start`'s, plus any `--node-flags` given for an experiment. */
const apiNodeFlags: readonly string[] = [
  ...API_NODE_FLAGS,
  ...(args["node-flags"]?.split(/\s+/).filter(Boolean) ?? []),
];

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

const started = performance.now();
/** Drops the scratch database; set while one exists, so that a run stopped at the time limit leaves none. */
let dropDatabase: (() => Promise<void>) | null = null;
const watchdog = setTimeout(() => {
  log(`stopped: over the time limit of ${settings.timeLimitMs / 60000} minutes`);
  killAll();
  const dropped = dropDatabase?.().catch((error: unknown) => log(`could not drop the database: ${String(error)}`));
  void Promise.race([dropped, sleep(10_000)]).finally(() => process.exit(3));
}, settings.timeLimitMs);

const tmp = mkdtempSync(path.join(tmpdir(), "tsbin-bench-"));
const cores = availableParallelism();

/** Deletes the run's scratch folder, unless `--keep-logs` asks for the servers' logs in it. */
function removeScratch(): void {
  if (args["keep-logs"]) log(`servers' logs kept in ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
/** Whether DATABASE_URL's server runs on this machine, so that its CPU can be counted. */
const localPostgres = isLocalServer(process.env.DATABASE_URL);

function isLocalServer(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return ["127.0.0.1", "localhost", "[::1]", ""].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * The client address of simulated user `i`. Unless --same-ip, every user comes from its own address
 * (sent as X-Forwarded-For, with TRUST_PROXY=true, as behind a load balancer): a storm of real users
 * logging in, rather than one address hammering its own per-IP rate-limit rows.
 */
function clientHeaders(i: number): Record<string, string> {
  return args["same-ip"] ? {} : { "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
}

function authMe(users: readonly SeededUser[], pathname = "/trpc/auth.me"): LoadRequest[] {
  return users.map((u, i) => ({
    path: pathname,
    headers: { cookie: `session=${u.sessionToken}`, ...clientHeaders(i) },
  }));
}

function logins(users: readonly SeededUser[], path = "/trpc/auth.login"): LoadRequest[] {
  return users.map((u, i) => ({
    method: "POST",
    path,
    headers: { "content-type": "application/json", ...clientHeaders(i) },
    body: JSON.stringify({ json: { username: u.username, password: PASSWORD } }),
  }));
}

let signupCounter = 0;
function signup(runTag: string): LoadRequest {
  signupCounter += 1;
  const username = `${USER_PREFIX}su_${runTag}_${signupCounter}`;
  return {
    method: "POST",
    path: "/trpc/auth.signup",
    headers: { "content-type": "application/json", ...clientHeaders(signupCounter) },
    body: JSON.stringify({ json: { username, email: `${username}@example.com`, password: PASSWORD } }),
  };
}

/** One request, checked, before a workload: a benchmark of error pages would be worthless. */
async function expectOk(port: number, request: LoadRequest, check: (body: string) => boolean, what: string) {
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
    method: request.method ?? "GET",
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (!response.ok || !check(body))
    throw new Error(`${what}: unexpected answer ${response.status} ${body.slice(0, 300)}`);
}

/** Warms up, then measures one load test while sampling the servers' memory and CPU. */
async function measure(
  servers: readonly Started[],
  options: Parameters<typeof runLoad>[0],
  warmupSeconds = settings.warmupSeconds,
): Promise<Measured> {
  const pids = servers.flatMap((s) => s.pids);
  if (warmupSeconds > 0) {
    await runLoad({ ...options, durationSeconds: warmupSeconds });
    await settleServers(pids);
  }
  const memory = new PeakMemory(pids);
  const cpuBefore = pids.map(cpuMs);
  const mainBefore = pids.map(mainThreadCpuMs);
  const pgBefore = localPostgres ? postgresCpuMs() : null;
  const machineBefore = machineCpu();
  const load = await runLoad(options);
  const machine = machineUse(machineBefore, machineCpu(), load.ok);
  const cpuAfter = pids.map(cpuMs);
  const mainAfter = pids.map(mainThreadCpuMs);
  const pgUsed = pgBefore === null ? null : postgresCpuMs() - pgBefore;
  const rssMb = memory.stop();
  const used = pids.map((_, i) => (cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0));
  const cpuUsed = used.reduce((sum, ms) => sum + ms, 0);
  // With node:cluster, the workers (all pids but the primary) should share the load.
  const workerCpu = servers.flatMap((s) => s.pids.slice(1).map((pid) => used[pids.indexOf(pid)] ?? 0));
  const balance = workerCpu.length > 1 ? Math.min(...workerCpu) / Math.max(1, ...workerCpu) : null;
  const mainUsed = pids.reduce((sum, _, i) => sum + (mainAfter[i] ?? 0) - (mainBefore[i] ?? 0), 0);
  const perRequest = (ms: number | null) => (ms === null || load.ok === 0 ? null : (ms * 1000) / load.ok);
  // After the figures: what the servers still do for abandoned requests belongs to no measured answer.
  await settleServers(pids);
  return {
    load,
    rssMb,
    cpuUsPerRequest: perRequest(cpuUsed),
    mainCpuUsPerRequest: perRequest(mainUsed),
    pgCpuUsPerRequest: perRequest(pgUsed),
    balance,
    machineCpuUsPerRequest: machine.cpuUsPerUnit,
    machineKernelUsPerRequest: machine.kernelUsPerUnit,
    machineBusyShare: machine.busyShare,
  };
}

/** Lets the servers work off the requests a finished load test abandoned, before anything else is measured. */
async function settleServers(pids: readonly number[]): Promise<void> {
  const { quiet, waitedMs } = await settle(() => pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0));
  if (!quiet) log(`the servers were still busy ${Math.round(waitedMs)} ms after a load test; measuring on`);
}

function apiEnv(port: number, db: { url: string | undefined; dataDir: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: db.dataDir,
    LOG_LEVEL: settings.logLevel,
    RATE_LIMIT_SCALE: String(settings.rateLimitScale),
    EMAIL_BACKEND: "file",
    TRUST_PROXY: args["same-ip"] ? "false" : "true",
  };
  if (db.url) env.DATABASE_URL = db.url;
  return env;
}

/** The API as `pnpm start` runs it: `node apps/api/dist/index.js`, with `--workers N` for N > 1. */
async function startApi(
  workers: number,
  port: number,
  db: { url: string | undefined; dataDir: string },
  nodeArgs: readonly string[] = [],
  logName = `api-${workers}`,
): Promise<Started> {
  return startNode({
    name: workers > 1 ? `API (--workers ${workers})` : "API",
    nodeArgs: [...apiNodeFlags, ...nodeArgs],
    script: apiEntry,
    args: workers > 1 ? ["--workers", String(workers)] : [],
    workers: workers > 1 ? workers : 0,
    env: apiEnv(port, db),
    port,
    readyPath: "/healthz",
    logFile: path.join(tmp, `${logName}.log`),
    cwd: REPO_ROOT,
  });
}

/** The floor server, alone or as node:cluster workers sharing the port like the API's. */
async function startFloor(
  workers: number,
  port: number,
  db: { url: string | undefined; dataDir: string },
  logName = `floor-${workers}`,
): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    FLOOR_PORT: String(port),
    FLOOR_WORKERS: String(workers),
  };
  if (db.url) env.DATABASE_URL = db.url;
  else env.FLOOR_PGLITE_DIR = path.join(db.dataDir, "pglite");
  return startNode({
    name: workers > 1 ? `floor (${workers} workers)` : "floor",
    nodeArgs: ["--import", "tsx"],
    script: FLOOR_SERVER,
    workers: workers > 1 ? workers : 0,
    env,
    port,
    readyPath: "/bare",
    logFile: path.join(tmp, `${logName}.log`),
    cwd: BENCH_DIR,
  });
}

function put(figures: Figures, key: string, value: number | null | undefined): void {
  figures[key] = value === undefined || value === null || !Number.isFinite(value) ? null : value;
}

function putLoad(figures: Figures, key: string, m: Measured): void {
  put(figures, `${key}.rps`, m.load.rps);
  put(figures, `${key}.p50`, m.load.p50);
  put(figures, `${key}.p99`, m.load.p99);
  put(figures, `${key}.errors`, m.load.errors);
  put(figures, `${key}.rssMb`, m.rssMb);
  put(figures, `${key}.cpuUsPerReq`, m.cpuUsPerRequest);
  put(figures, `${key}.mainCpuUsPerReq`, m.mainCpuUsPerRequest);
  put(figures, `${key}.pgCpuUsPerReq`, m.pgCpuUsPerRequest);
  put(figures, `${key}.machineCpuUsPerReq`, m.machineCpuUsPerRequest);
  put(figures, `${key}.machineKernelUsPerReq`, m.machineKernelUsPerRequest);
  put(figures, `${key}.busy`, m.machineBusyShare);
}

interface RunContext {
  db: { kind: "postgres" | "pglite"; url: string | undefined; dataDir: string };
  users: SeededUser[];
  passwordHash: string;
  port: number;
  /** The floor server's port while the API is up on `port` (W0 and W1 are interleaved). */
  floorPort: number;
  /** On PostgreSQL, the login floor and the API for W2–W4: started and warmed once, up for every run. */
  loginServers: LoginServers | null;
}

interface LoginServers {
  api: Started;
  floor: Started;
}

function putBalance(figures: Figures, key: string, m: Measured, notes: string[], runIndex: number): void {
  put(figures, `${key}.balance`, m.balance);
  if (m.balance !== null && m.balance < 0.5) {
    notes.push(`run ${runIndex}: ${key}: the workers did uneven work (least ÷ most CPU = ${m.balance.toFixed(2)})`);
  }
}

/** One measurement of the raw hash limit: the preferred hasher, as many verifications in flight as cores, in this process. */
async function measureRawHashing(ctx: RunContext, durationMs: number): Promise<RawHashing> {
  const before = machineCpu();
  const raw = await measureVerifyThroughput(ctx.passwordHash, PASSWORD, {
    durationMs,
    concurrency: cores,
    hasher: preferredHasher(),
  });
  const machine = machineUse(before, machineCpu(), raw.verifies);
  return {
    verifies: raw.verifies,
    elapsedMs: raw.elapsedMs,
    machineCpuUsPerVerify: machine.cpuUsPerUnit,
    machineKernelUsPerVerify: machine.kernelUsPerUnit,
    machineBusyShare: machine.busyShare,
  };
}

async function oneRun(runIndex: number, ctx: RunContext): Promise<{ figures: Figures; notes: string[] }> {
  const figures: Figures = {};
  const notes: string[] = [];
  const counts = ctx.db.kind === "pglite" ? [1] : settings.processCounts;
  if (ctx.db.kind === "pglite")
    notes.push("PGlite is embedded in one process: W0 and W1 are measured with 1 process only.");
  put(figures, "loadAverage", loadAverage());

  // W0 and W1 per process count. This VM's speed drifts by 10–15 % within seconds, so the SELECT
  // floor and W1 run side by side and are measured in alternating segments (floor, W1, floor, …,
  // floor): the ratio compares the two over the same stretch of time.
  for (const procs of workloads.has("w0") || workloads.has("w1") ? counts : []) {
    await floorAndW1(runIndex, ctx, procs, figures, notes);
  }

  if (workloads.has("w2") && ctx.loginServers) {
    const { api, floor } = ctx.loginServers;
    const loginCtx: RunContext = { ...ctx, port: api.port, floorPort: floor.port };
    const login = await interleavedLogins(runIndex, loginCtx, api, floor);
    putLogins(figures, login, login.floor);
    await loginWorkloads(runIndex, loginCtx, api, login.w2, figures, notes);
  } else if (workloads.has("w2")) {
    // PGlite's data directory can be open in one process only: there each run measures the login
    // floor first, on its own, and then interleaves only the raw limit and W2.
    const loginProcs = loginProcesses(counts);
    const floor = await startFloor(loginProcs, ctx.port, ctx.db);
    let floorAlone: Measured;
    try {
      log(`run ${runIndex}: W0 login floor, ${loginProcs} process(es)`);
      floorAlone = await measure([floor], {
        ...loginFloorLoad(ctx, [ctx.port]),
        durationSeconds: settings.loginSeconds,
      });
    } finally {
      await stop(floor);
    }
    notes.push(`run ${runIndex}: PGlite: the login floor was measured before W2 and the raw limit, not interleaved.`);
    const api = await startApi(loginProcs, ctx.port, ctx.db);
    try {
      const login = await interleavedLogins(runIndex, ctx, api, null);
      putLogins(figures, login, floorAlone);
      await loginWorkloads(runIndex, ctx, api, login.w2, figures, notes);
    } finally {
      await stop(api);
    }
  }
  return { figures, notes };
}

function loginProcesses(counts: readonly number[]): number {
  return counts.includes(settings.loginProcesses) ? settings.loginProcesses : (counts[0] as number);
}

/**
 * On PostgreSQL, the login floor and the API that serve every run's W2–W4, started once on ports of their
 * own and warmed with `loginWarmupSeconds` of logins each (a login path compiles by the number of logins
 * it has served, far fewer per second than `auth.me`'s); idle while W0 and W1 run. On PGlite, whose data
 * directory one process at a time can open, each run starts its own (null here).
 */
async function startLoginServers(ctx: RunContext): Promise<LoginServers | null> {
  if (ctx.db.kind !== "postgres" || !workloads.has("w2")) return null;
  const procs = loginProcesses(settings.processCounts);
  const [apiPort, floorPort] = await freePorts(39_200, 2);
  const floor = await startFloor(procs, floorPort!, ctx.db, "login-floor");
  let api: Started | null = null;
  try {
    api = await startApi(procs, apiPort!, ctx.db, [], "login-api");
    const first = ctx.users[0] as SeededUser;
    await expectOk(api.port, logins([first])[0]!, (body) => body.includes('"isAuthenticated":true'), "login");
    log(`login floor and API for W2–W4 up; ${settings.loginWarmupSeconds} s of logins to warm each`);
    const durationSeconds = settings.loginWarmupSeconds;
    await runLoad({ ...loginFloorLoad(ctx, [floor.port]), durationSeconds });
    await runLoad({ ...loginStormLoad(ctx, [api.port]), durationSeconds });
    await settleServers([...api.pids, ...floor.pids]);
    return { api, floor };
  } catch (error) {
    if (api) await stop(api);
    await stop(floor);
    throw error;
  }
}

/** The API with `procs` processes, once one `auth.me` with a seeded session has answered as expected. */
async function startCheckedApi(ctx: RunContext, procs: number): Promise<Started> {
  const api = await startApi(procs, ctx.port, ctx.db);
  try {
    const first = ctx.users[0] as SeededUser;
    await expectOk(ctx.port, authMe([first])[0]!, (body) => body.includes('"isAuthenticated":true'), "auth.me");
    return api;
  } catch (error) {
    await stop(api);
    throw error;
  }
}

/**
 * Alternating segments of several workloads: `first`, then each of `others`, `segments` times over,
 * and `first` once more at the end, so that it brackets every round. Returns each side's segments.
 */
async function alternate<First, Other>(
  segments: number,
  first: () => Promise<First>,
  others: readonly (() => Promise<Other>)[],
): Promise<{ first: First[]; others: Other[][] }> {
  const firstSegments: First[] = [];
  const otherSegments: Other[][] = others.map(() => []);
  for (let i = 0; i < segments; i++) {
    firstSegments.push(await first());
    for (const [side, other] of others.entries()) otherSegments[side]?.push(await other());
  }
  firstSegments.push(await first());
  return { first: firstSegments, others: otherSegments };
}

/**
 * W0 and W1 with `procs` processes: the bare floor (with W0), then the SELECT floor and W1 (with
 * W1) interleaved, both servers up: `interleavedSegments` segments of W1, each between two of the
 * floor. Each side's figures are those of all its segments together. PGlite's data directory can be
 * open in one process only, so on PGlite the floor is measured first and W1 after it.
 */
async function floorAndW1(
  runIndex: number,
  ctx: RunContext,
  procs: number,
  figures: Figures,
  notes: string[],
): Promise<void> {
  const floorPorts = [ctx.floorPort];
  const selectLoad = { ports: floorPorts, connections: settings.connections, requests: authMe(ctx.users, "/select") };
  const w1Load = { ports: [ctx.port], connections: settings.connections, requests: authMe(ctx.users) };
  const sideBySide = workloads.has("w1") && ctx.db.kind === "postgres";
  let floorAlone: Measured | null = null;
  const floor = await startFloor(procs, ctx.floorPort, ctx.db);
  try {
    if (workloads.has("w0")) {
      log(`run ${runIndex}: W0 bare Hono, ${procs} process(es)`);
      const bare = await measure([floor], {
        ports: floorPorts,
        connections: settings.connections,
        durationSeconds: settings.seconds,
        requests: authMe(ctx.users, "/bare"),
      });
      putLoad(figures, `w0.bare.${procs}p`, bare);
    }
    if (!sideBySide) {
      log(`run ${runIndex}: W0 SELECT floor, ${procs} process(es)`);
      floorAlone = await measure([floor], { ...selectLoad, durationSeconds: settings.seconds });
      putLoad(figures, `w0.select.${procs}p`, floorAlone);
      putBalance(figures, `w0.select.${procs}p`, floorAlone, notes, runIndex);
    } else {
      const api = await startCheckedApi(ctx, procs);
      try {
        const segments = settings.interleavedSegments;
        log(
          `run ${runIndex}: W0 SELECT floor and W1 auth.me, ${procs} process(es), ` +
            `${segments} segment${segments === 1 ? "" : "s"} of W1 between ${segments + 1} of the floor, ${settings.segmentSeconds} s each, ` +
            `after ${settings.w1WarmupSeconds} s of warm-up each`,
        );
        await runLoad({ ...selectLoad, durationSeconds: settings.w1WarmupSeconds });
        await runLoad({ ...w1Load, durationSeconds: settings.w1WarmupSeconds });
        await settleServers([...floor.pids, ...api.pids]);
        const durationSeconds = settings.segmentSeconds;
        const {
          first: selectSegments,
          others: [w1Segments],
        } = await alternate(segments, () => measure([floor], { ...selectLoad, durationSeconds }, 0), [
          () => measure([api], { ...w1Load, durationSeconds }, 0),
        ]);
        const select = combineMeasured(selectSegments);
        putLoad(figures, `w0.select.${procs}p`, select);
        putBalance(figures, `w0.select.${procs}p`, select, notes, runIndex);
        putW1(figures, procs, combineMeasured(w1Segments ?? []), select, notes, runIndex);
      } finally {
        await stop(api);
      }
    }
  } finally {
    await stop(floor);
  }
  if (floorAlone === null || !workloads.has("w1")) return;
  notes.push(`run ${runIndex}: PGlite: the SELECT floor and W1 were measured one after the other, not interleaved.`);
  const api = await startCheckedApi(ctx, procs);
  try {
    log(`run ${runIndex}: W1 auth.me, ${procs} process(es)`);
    const w1 = await measure([api], { ...w1Load, durationSeconds: settings.seconds });
    putW1(figures, procs, w1, floorAlone, notes, runIndex);
  } finally {
    await stop(api);
  }
}

function putW1(
  figures: Figures,
  procs: number,
  w1: Measured,
  floor: Measured,
  notes: string[],
  runIndex: number,
): void {
  putLoad(figures, `w1.${procs}p`, w1);
  putBalance(figures, `w1.${procs}p`, w1, notes, runIndex);
  put(figures, `w1.${procs}p.ratio`, ratio(w1.load.rps, floor.load.rps));
}

interface RawHashing {
  verifies: number;
  elapsedMs: number;
  /** The whole machine's busy CPU per verification, and the share of its cores that was busy. */
  machineCpuUsPerVerify: number | null;
  /** Of that, the kernel's (mapping, zeroing and unmapping each verification's memory, mostly). */
  machineKernelUsPerVerify: number | null;
  machineBusyShare: number | null;
}

interface InterleavedLogins {
  /** Verifications per second over all raw segments together. */
  raw: number;
  /** The slowest and the fastest raw segment: how far this machine drifted meanwhile. */
  rawLow: number;
  rawHigh: number;
  /** The machine's busy CPU per verification and its busy share over all raw segments; null if unknown. */
  rawMachineCpuUs: number | null;
  rawMachineKernelUs: number | null;
  rawBusyShare: number | null;
  /** The login floor's segments together; null when it was measured on its own (PGlite). */
  floor: Measured | null;
  w2: Measured;
}

function loginFloorLoad(ctx: RunContext, ports: readonly number[]) {
  return { ports, connections: settings.stormConnections, requests: logins(ctx.users, "/login") };
}

/** W2's load: `auth.login` for the seeded users in rotation, as many connections as the login floor's. */
function loginStormLoad(ctx: RunContext, ports: readonly number[]) {
  return { ports, connections: settings.stormConnections, requests: logins(ctx.users) };
}

/**
 * The raw hash limit, the login floor and W2, measured in alternating segments (raw, floor, W2, raw,
 * …, raw) with both servers up and idle while not measured: this VM's speed drifts by 10–30 % within
 * a minute (the raw limit alone moved between 205 and 290 verifies/s from one run to the next), so
 * each ratio compares the two sides over the same stretch of time. The raw segments run in this
 * process with nothing else under load, as before.
 */
async function interleavedLogins(
  runIndex: number,
  ctx: RunContext,
  api: Started,
  floor: Started | null,
): Promise<InterleavedLogins> {
  const first = ctx.users[0] as SeededUser;
  await expectOk(ctx.port, logins([first])[0]!, (body) => body.includes('"isAuthenticated":true'), "login");
  const floorLoad = loginFloorLoad(ctx, [ctx.floorPort]);
  const w2Load = loginStormLoad(ctx, [ctx.port]);
  const segments = settings.interleavedSegments;
  const durationSeconds = settings.segmentSeconds;
  log(
    `run ${runIndex}: raw hash limit${floor ? ", W0 login floor" : ""} and W2 login storm (${settings.stormConnections} connections), ` +
      `${segments} segment${segments === 1 ? "" : "s"} of each between ${segments + 1} of the raw limit, ${durationSeconds} s each`,
  );
  if (floor) await runLoad({ ...floorLoad, durationSeconds: settings.warmupSeconds });
  await runLoad({ ...w2Load, durationSeconds: settings.warmupSeconds });
  await settleServers([...api.pids, ...(floor?.pids ?? [])]);
  const loginSides = [() => measure([api], { ...w2Load, durationSeconds }, 0)];
  if (floor) loginSides.unshift(() => measure([floor], { ...floorLoad, durationSeconds }, 0));
  const { first: raw, others } = await alternate(
    segments,
    () => measureRawHashing(ctx, durationSeconds * 1000),
    loginSides,
  );
  const floorSegments = floor ? others[0] : undefined;
  const w2Segments = others.at(-1) ?? [];
  const rates = raw.map((r) => (r.verifies * 1000) / r.elapsedMs);
  return {
    raw: (raw.reduce((sum, r) => sum + r.verifies, 0) * 1000) / raw.reduce((sum, r) => sum + r.elapsedMs, 0),
    rawLow: Math.min(...rates),
    rawHigh: Math.max(...rates),
    rawMachineCpuUs: weightedMean(
      raw,
      (r) => r.machineCpuUsPerVerify,
      (r) => r.verifies,
    ),
    rawMachineKernelUs: weightedMean(
      raw,
      (r) => r.machineKernelUsPerVerify,
      (r) => r.verifies,
    ),
    rawBusyShare: weightedMean(
      raw,
      (r) => r.machineBusyShare,
      (r) => r.elapsedMs,
    ),
    floor: floorSegments ? combineMeasured(floorSegments) : null,
    w2: combineMeasured(w2Segments),
  };
}

/** The raw limit, the login floor (interleaved, or measured alone on PGlite) and W2, with their ratios. */
function putLogins(figures: Figures, login: InterleavedLogins, floor: Measured | null): void {
  put(figures, "hash.raw", login.raw);
  put(figures, "hash.raw.low", login.rawLow);
  put(figures, "hash.raw.high", login.rawHigh);
  put(figures, "hash.raw.machineCpuUs", login.rawMachineCpuUs);
  put(figures, "hash.raw.machineKernelUs", login.rawMachineKernelUs);
  put(figures, "hash.raw.busy", login.rawBusyShare);
  if (floor) putLoad(figures, "w0.login", floor);
  putLoad(figures, "w2", login.w2);
  put(figures, "w0.login.ratio", ratio(floor?.load.rps ?? null, login.raw));
  put(figures, "w2.ratio", ratio(login.w2.load.rps, login.raw));
  put(figures, "w2.floorRatio", ratio(login.w2.load.rps, floor?.load.rps ?? null));
}

/** W3 and W4 on the API that has just run W2 (whose result goes into the error notes). */
async function loginWorkloads(
  runIndex: number,
  ctx: RunContext,
  api: Started,
  w2: Measured,
  figures: Figures,
  notes: string[],
): Promise<void> {
  const ports = [ctx.port];

  // W3: the same storm, plus a light auth.me stream started once the storm is under way.
  log(`run ${runIndex}: W3 auth.me stream (${settings.streamRate}/s) during a login storm`);
  const memory = new PeakMemory(api.pids);
  const storm = runLoad({ ...loginStormLoad(ctx, ports), durationSeconds: settings.loginSeconds + 1 });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const stream = await runLoad({
    ports,
    connections: settings.streamConnections,
    durationSeconds: settings.loginSeconds,
    requests: authMe(ctx.users),
    overallRate: settings.streamRate,
  });
  const stormResult = await storm;
  put(figures, "w3.stream.rps", stream.rps);
  put(figures, "w3.stream.p50", stream.p50);
  put(figures, "w3.stream.p99", stream.p99);
  put(figures, "w3.stream.errors", stream.errors);
  put(figures, "w3.storm.rps", stormResult.rps);
  put(figures, "w3.storm.errors", stormResult.errors);
  put(figures, "w3.rssMb", memory.stop());
  await settleServers(api.pids);

  // W4: sign-ups (hash + user + profile in one transaction, then a session).
  const tag = `${Date.now().toString(36)}${runIndex}`;
  await expectOk(ctx.port, signup(tag), (body) => body.includes('"isAuthenticated":true'), "sign-up");
  log(`run ${runIndex}: W4 sign-up`);
  const w4 = await measure(
    [api],
    {
      ports,
      connections: settings.stormConnections,
      durationSeconds: settings.signupSeconds,
      dynamic: () => signup(tag),
    },
    1,
  );
  putLoad(figures, "w4", w4);
  for (const [name, result] of [
    ["W2", w2.load],
    ["W3 storm", stormResult],
    ["W3 stream", stream],
    ["W4", w4.load],
  ] as const) {
    if (result.errors > 0) {
      notes.push(`run ${runIndex}: ${name} had ${result.errors} non-2xx answers ${JSON.stringify(result.statuses)}`);
    }
  }
}

async function buildAll(): Promise<{ webError: string | null }> {
  if (args["skip-build"]) return { webError: null };
  log("building the API (pnpm --filter @tsbin/api build)");
  await run("pnpm", ["--filter", "@tsbin/api", "build"], { cwd: REPO_ROOT, timeoutMs: 180_000 });
  log("building the SPA (pnpm --filter @tsbin/web build)");
  try {
    await run("pnpm", ["--filter", "@tsbin/web", "build"], { cwd: REPO_ROOT, timeoutMs: 300_000 });
    return { webError: null };
  } catch (error) {
    return { webError: error instanceof Error ? error.message.split("\n").slice(0, 8).join("\n") : String(error) };
  }
}

async function profileOnly(workload: string, ctx: RunContext): Promise<void> {
  const dir = path.join(BENCH_DIR, "results", `profile-${workload}-${Date.now()}.tmp`);
  mkdirSync(dir, { recursive: true });
  const api = await startApi(1, ctx.port, ctx.db, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
  const options =
    workload === "w2"
      ? { ...loginStormLoad(ctx, [api.port]), durationSeconds: 10 }
      : { ports: [api.port], connections: settings.connections, durationSeconds: 10, requests: authMe(ctx.users) };
  const m = await measure([api], options);
  await stop(api);
  log(
    `${workload}: ${m.load.rps.toFixed(0)} req/s, p99 ${m.load.p99?.toFixed(1)} ms, ${m.cpuUsPerRequest?.toFixed(0)} µs CPU per request`,
  );
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    const profilePath = path.join(dir, file);
    const profile = JSON.parse(readFileSync(profilePath, "utf8")) as CpuProfile;
    console.log(`\n${profilePath}\n${formatSummary(summariseProfile(profile, 30))}`);
    const flame = writeFlameGraph(
      profilePath,
      profile,
      `tsbin API, ${workload}, 10 s (${m.load.rps.toFixed(0)} req/s)`,
    );
    log(`flame graph: ${flame.svg} (folded stacks: ${flame.folded})`);
  }
}

/** Echoes the servers' error lines (pino level 50 and up), so a 5xx seen under load can be explained. */
function reportServerErrors(): void {
  for (const file of readdirSync(tmp).filter((name) => name.endsWith(".log"))) {
    const errors = readFileSync(path.join(tmp, file), "utf8")
      .split("\n")
      .filter((line) => /"level":(5|6)0/.test(line));
    if (errors.length === 0) continue;
    log(`${file}: ${errors.length} error line(s), the first ones:`);
    for (const line of errors.slice(0, 5)) log(`  ${line.slice(0, 2000)}`);
  }
}

async function main(): Promise<void> {
  if (args.render) {
    const files = await renderResults(path.resolve(BENCH_DIR, args.render));
    log(`rewrote ${files.join(", ")} from ${args.render}`);
    rmSync(tmp, { recursive: true, force: true });
    return;
  }
  const machine = machineInfo();
  // Read before this run writes its own results over RESULTS.md.
  const committed = readCommitted(BENCH_DIR);
  const revision = sourceRevision(REPO_ROOT);
  const { webError } = await buildAll();
  const db = await openBenchDatabase(process.env.DATABASE_URL, tmp);
  dropDatabase = () => db.drop();
  log(`database: ${db.description}`);
  let loginServers: LoginServers | null = null;
  try {
    log(`seeding ${settings.users} users with sessions, and ${settings.fillerUsers} more that no workload uses`);
    const hasher = preferredHasher();
    const { users, passwordHash } = await seed(db, settings.users, hasher, settings.fillerUsers);
    const [port, floorPort] = await freePorts(39_100, 2);
    const ctx: RunContext = { db, users, passwordHash, port: port!, floorPort: floorPort!, loginServers: null };

    if (args.profile) {
      await profileOnly(args.profile, ctx);
      return;
    }
    loginServers = ctx.loginServers = await startLoginServers(ctx);

    let web: WebSize | null = null;
    let webNote = webError;
    try {
      web = measureLoginRouteJs(WEB_DIST);
    } catch (error) {
      webNote = `${webNote ?? ""}${error instanceof Error ? error.message : String(error)}`;
    }

    const runs: Figures[] = [];
    const notes: string[] = [];
    if (webError && web)
      notes.push(`the SPA did not build; the login route was measured on the previous build: ${webError}`);
    const runDurationsMs: number[] = [];
    for (let i = 1; i <= settings.runs; i++) {
      const runStarted = performance.now();
      const result = await oneRun(i, ctx);
      runs.push(result.figures);
      notes.push(...result.notes);
      runDurationsMs.push(performance.now() - runStarted);
      const plan = {
        elapsedMs: performance.now() - started,
        runDurationsMs,
        limitMs: settings.timeLimitMs,
        reserveMs: REPORT_RESERVE_MS,
      };
      if (i < settings.runs && !fitsAnotherRun(plan)) {
        const note = skippedRunsNote(i, settings.runs, plan);
        log(note);
        notes.push(note);
        break;
      }
    }
    const input: ReportInput = {
      date: new Date(),
      label: args.label ?? null,
      machine,
      versions: {
        tsbin: revision,
        node: process.version,
        "PostgreSQL server": db.serverVersion.replace(/^PostgreSQL /, ""),
        autocannon: installedVersion("autocannon", BENCH_DIR),
        hono: installedVersion("hono", path.join(REPO_ROOT, "apps/api")),
        "@hono/node-server": installedVersion("@hono/node-server", path.join(REPO_ROOT, "apps/api")),
        "@trpc/server": installedVersion("@trpc/server", path.join(REPO_ROOT, "apps/api")),
        "drizzle-orm": installedVersion("drizzle-orm", path.join(REPO_ROOT, "apps/api")),
        "postgres.js": installedVersion("postgres", path.join(REPO_ROOT, "apps/api")),
        "@node-rs/argon2": installedVersion("@node-rs/argon2", path.join(REPO_ROOT, "apps/api")),
        pino: installedVersion("pino", path.join(REPO_ROOT, "apps/api")),
      },
      settings: {
        ...settings,
        apiEntry: path.relative(REPO_ROOT, apiEntry),
        apiNodeFlags,
        database: db.description,
        cores,
        clientAddresses: args["same-ip"] ? "one (127.0.0.1)" : `one per user (X-Forwarded-For, TRUST_PROXY=true)`,
        localPostgres,
      },
      runs,
      web,
      webNote,
      notes: [...new Set(notes)],
      elapsedSeconds: 0,
    };
    input.elapsedSeconds = Math.round((performance.now() - started) / 1000);
    const report = buildReport(input);
    printTable(report);
    const comparison = committed ? compareRuns(report, committed) : null;
    console.log(
      ["", ...(comparison ? comparisonLines(comparison) : ["no committed summary to compare with"])].join("\n"),
    );
    if (args["report-json"]) {
      const file = path.resolve(args["report-json"]);
      writeFileSync(file, `${JSON.stringify({ ...report, comparison }, null, 2)}\n`);
      log(`wrote the report to ${file}`);
    }
    if (!args["no-save"]) {
      const written = await writeResults(report);
      log(`wrote ${written.join(", ")}`);
    }
  } finally {
    // Their connections would keep the scratch database from being dropped.
    if (loginServers) {
      await stop(loginServers.api);
      await stop(loginServers.floor);
    }
    reportServerErrors();
    await db.drop().catch((error: unknown) => log(`could not clean up the database: ${String(error)}`));
    removeScratch();
  }
}

try {
  await main();
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  log(`done in ${Math.round((performance.now() - started) / 1000)} s`);
}

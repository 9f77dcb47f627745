/**
 * `pnpm bench`: builds the API (and the SPA), starts the API against DATABASE_URL's server (or PGlite),
 * seeds users and sessions, and measures, with autocannon against 127.0.0.1 only, in each of
 * `runs` runs: the raw hash limit, W0 (floors), W1 (auth.me), W2 (login), W3 (auth.me during a
 * login storm) and W4 (sign-up), plus the API's peak RSS per workload. Prints one table, writes
 * bench/results/<date>.json and .md and bench/RESULTS.md. See bench/README.md.
 */
import { availableParallelism, tmpdir } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  API_ENTRY,
  API_NODE_FLAGS,
  BENCH_DIR,
  defaultSettings,
  REPO_ROOT,
  WEB_DIST,
  REPORT_RESERVE_MS,
  type Settings,
} from "./config.ts";
import type { BenchContext, LoginServers, RunContext } from "./context.ts";
import { openBenchDatabase, preferredHasher, seed } from "./database.ts";
import { floorAndW1 } from "./floor-and-w1.ts";
import {
  interleavedLogins,
  loginFloorLoad,
  loginProcesses,
  loginStormLoad,
  putLogins,
  startLoginServers,
} from "./logins.ts";
import { measure } from "./measure.ts";
import type { Measured } from "./measured.ts";
import { compareRuns, comparisonLines, readCommitted } from "./compare.ts";
import { installedVersion, loadAverage, machineInfo, sourceRevision } from "./machine.ts";
import { freePorts, killAll, run, stop } from "./processes.ts";
import { buildReport, printTable, renderResults, writeResults, type Figures, type ReportInput } from "./report.ts";
import { put } from "./figures.ts";
import { workloadRequests } from "./requests.ts";
import { startApi, startFloor } from "./servers.ts";
import { loginWorkloads } from "./storm-and-signup.ts";
import { measureLoginRouteJs, type WebSize } from "./web-size.ts";
import { writeFlameGraph } from "./flamegraph.ts";
import type { CpuProfile } from "./cpu-profile.ts";
import { formatSummary, summariseProfile } from "./profile-summary.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { fitsAnotherRun, skippedRunsNote } from "./time-plan.ts";

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

const bench: BenchContext = {
  settings,
  workloads,
  sameIp: args["same-ip"],
  requests: workloadRequests(args["same-ip"]),
  tmp,
  apiEntry,
  apiNodeFlags,
  localPostgres,
  cores,
  log,
};

/** One run: W0 and W1 per process count, then the raw limit, the login floor and W2, W3 and W4. */
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
    const loginProcs = loginProcesses(settings, counts);
    const floor = await startFloor(bench, loginProcs, ctx.port, ctx.db);
    let floorAlone: Measured;
    try {
      log(`run ${runIndex}: W0 login floor, ${loginProcs} process(es)`);
      floorAlone = await measure(bench, [floor], {
        ...loginFloorLoad(ctx, [ctx.port]),
        durationSeconds: settings.loginSeconds,
      });
    } finally {
      await stop(floor);
    }
    notes.push(`run ${runIndex}: PGlite: the login floor was measured before W2 and the raw limit, not interleaved.`);
    const api = await startApi(bench, loginProcs, ctx.port, ctx.db);
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
  const api = await startApi(bench, 1, ctx.port, ctx.db, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
  const options =
    workload === "w2"
      ? { ...loginStormLoad(ctx, [api.port]), durationSeconds: 10 }
      : {
          ports: [api.port],
          connections: settings.connections,
          durationSeconds: 10,
          requests: bench.requests.authMe(ctx.users),
        };
  const m = await measure(bench, [api], options);
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
    const ctx: RunContext = {
      bench,
      db,
      users,
      passwordHash,
      port: port!,
      floorPort: floorPort!,
      loginServers: null,
    };

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

/**
 * The raw hash limit, the login floor and W2, and on PostgreSQL the two login servers that serve them in
 * every run.
 */
import { measureVerifyThroughput } from "../../packages/auth-core/bench/hashers.bench.ts";
import type { Settings } from "./config.ts";
import type { LoginServers, RunContext } from "./context.ts";
import { PASSWORD, preferredHasher, type SeededUser } from "./database.ts";
import { machineCpu, machineUse } from "./cpu.ts";
import { put, putLoad } from "./figures.ts";
import { runLoad } from "./load.ts";
import { alternate, measure, settleServers } from "./measure.ts";
import { combineMeasured, weightedMean, type Measured } from "./measured.ts";
import { freePorts, stop, type Started } from "./processes.ts";
import type { Figures } from "./report.ts";
import { expectOk } from "./requests.ts";
import { startApi, startFloor } from "./servers.ts";
import { ratio } from "./stats.ts";

/** The API processes that serve W2–W4: `loginProcesses`, when it is one of the counts measured. */
export function loginProcesses(settings: Settings, counts: readonly number[]): number {
  return counts.includes(settings.loginProcesses) ? settings.loginProcesses : (counts[0] as number);
}

/** One `auth.login` of the first seeded user on the API at `port`, answered with a session. */
async function expectLogin(ctx: RunContext, port: number): Promise<void> {
  const first = ctx.users[0] as SeededUser;
  const login = ctx.bench.requests.logins([first])[0]!;
  await expectOk(port, login, (body) => body.includes('"isAuthenticated":true'), "login");
}

/**
 * On PostgreSQL, the login floor and the API that serve every run's W2–W4, started once on ports of their
 * own and warmed with `loginWarmupSeconds` of logins each (a login path compiles by the number of logins
 * it has served, far fewer per second than `auth.me`'s); idle while W0 and W1 run. On PGlite, whose data
 * directory one process at a time can open, each run starts its own (null here).
 */
export async function startLoginServers(ctx: RunContext): Promise<LoginServers | null> {
  const { bench } = ctx;
  const { settings, log } = bench;
  if (ctx.db.kind !== "postgres" || !bench.workloads.has("w2")) return null;
  const procs = loginProcesses(settings, settings.processCounts);
  const [apiPort, floorPort] = await freePorts(39_200, 2);
  const floor = await startFloor(bench, procs, floorPort!, ctx.db, "login-floor");
  let api: Started | null = null;
  try {
    api = await startApi(bench, procs, apiPort!, ctx.db, [], "login-api");
    await expectLogin(ctx, api.port);
    log(`login floor and API for W2–W4 up; ${settings.loginWarmupSeconds} s of logins to warm each`);
    const durationSeconds = settings.loginWarmupSeconds;
    await runLoad({ ...loginFloorLoad(ctx, [floor.port]), durationSeconds });
    await runLoad({ ...loginStormLoad(ctx, [api.port]), durationSeconds });
    await settleServers(bench, [...api.pids, ...floor.pids]);
    return { api, floor };
  } catch (error) {
    if (api) await stop(api);
    await stop(floor);
    throw error;
  }
}

/** One measurement of the raw hash limit: the preferred hasher, as many verifications in flight as cores, in this process. */
async function measureRawHashing(ctx: RunContext, durationMs: number): Promise<RawHashing> {
  const before = machineCpu();
  const raw = await measureVerifyThroughput(ctx.passwordHash, PASSWORD, {
    durationMs,
    concurrency: ctx.bench.cores,
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

interface RawHashing {
  verifies: number;
  elapsedMs: number;
  /** The whole machine's busy CPU per verification, and the share of its cores that was busy. */
  machineCpuUsPerVerify: number | null;
  /** Of that, the kernel's (mapping, zeroing and unmapping each verification's memory, mostly). */
  machineKernelUsPerVerify: number | null;
  machineBusyShare: number | null;
}

export interface InterleavedLogins {
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

/** The login floor's load: its `/login` for the seeded users in rotation, as many connections as W2's. */
export function loginFloorLoad(ctx: RunContext, ports: readonly number[]) {
  const { settings, requests } = ctx.bench;
  return { ports, connections: settings.stormConnections, requests: requests.logins(ctx.users, "/login") };
}

/** W2's load: `auth.login` for the seeded users in rotation, as many connections as the login floor's. */
export function loginStormLoad(ctx: RunContext, ports: readonly number[]) {
  const { settings, requests } = ctx.bench;
  return { ports, connections: settings.stormConnections, requests: requests.logins(ctx.users) };
}

/**
 * The raw hash limit, the login floor and W2, measured in alternating segments (raw, floor, W2, raw,
 * …, raw) with both servers up and idle while not measured: this VM's speed drifts by 10–30 % within
 * a minute (the raw limit alone moved between 205 and 290 verifies/s from one run to the next), so
 * each ratio compares the two sides over the same stretch of time. The raw segments run in this
 * process with nothing else under load, as before.
 */
export async function interleavedLogins(
  runIndex: number,
  ctx: RunContext,
  api: Started,
  floor: Started | null,
): Promise<InterleavedLogins> {
  const { bench } = ctx;
  const { settings, log } = bench;
  await expectLogin(ctx, ctx.port);
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
  await settleServers(bench, [...api.pids, ...(floor?.pids ?? [])]);
  const loginSides = [() => measure(bench, [api], { ...w2Load, durationSeconds }, 0)];
  if (floor) loginSides.unshift(() => measure(bench, [floor], { ...floorLoad, durationSeconds }, 0));
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
export function putLogins(figures: Figures, login: InterleavedLogins, floor: Measured | null): void {
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

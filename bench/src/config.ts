/** The benchmark's fixed settings; `--quick` shortens every duration for a smoke test. */
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL("../", import.meta.url));
export const API_ENTRY = fileURLToPath(new URL("../../apps/api/dist/index.js", import.meta.url));
export const WEB_DIST = fileURLToPath(new URL("../../apps/web/dist/", import.meta.url));
export const FLOOR_SERVER = fileURLToPath(new URL("./floor-server.ts", import.meta.url));
/**
 * Node's flags for the API, as `pnpm start` (package.json) runs it: a young generation of at most
 * 8 MB per semi-space instead of 16, which keeps a busy process's heap about 20 MB smaller. Its
 * request garbage dies young either way; at 4 MB the scavenger ran twice as often (OPTIMISATIONS.md).
 */
export const API_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];

/**
 * Time kept after the last run for the report, stopping the servers and dropping the database. The
 * benchmark starts another run only if it would end before the time limit with this much left.
 */
export const REPORT_RESERVE_MS = 20_000;

export interface Settings {
  runs: number;
  /** Users seeded, each with a session; W1 rotates over their cookies, W2 over their logins. */
  users: number;
  /** More accounts (profile and live session each) that no workload uses: tables of a realistic size. */
  fillerUsers: number;
  /** Connections of the W0 and W1 tests (the targets are stated at 64). */
  connections: number;
  /** Connections of the login storm (W2, W3) and of the sign-up test (W4). */
  stormConnections: number;
  /** The light `auth.me` stream of W3: connections and requests per second. */
  streamConnections: number;
  streamRate: number;
  warmupSeconds: number;
  /**
   * Warm-up of the SELECT floor and of W1 before their interleaved segments, each. A fresh process
   * spends its first seconds compiling its hot path (V8 compiles on helper threads, which take the
   * same two cores); the API has more code to compile than the floor, and with two processes each
   * compiles it. Both are measured once their CPU per request has settled, as a server runs.
   */
  w1WarmupSeconds: number;
  /**
   * Warm-up of the login floor and of the API that serves W2–W4, each, once before the first run (on
   * PostgreSQL, where both stay up for every run). A login path compiles by the number of logins it has
   * served, and at 60–150 logins/s a 2 s warm-up left both measured mostly before V8 had optimised it.
   */
  loginWarmupSeconds: number;
  /** Measured seconds of each W0 test that runs alone (the bare floor; the SELECT floor without W1). */
  seconds: number;
  /** Segments of W1 in the interleaved W0/W1 measurement (the SELECT floor gets one more). */
  interleavedSegments: number;
  /** Seconds of each interleaved segment. */
  segmentSeconds: number;
  /** Measured seconds of W3 (and of the login floor on PGlite, where it cannot run beside the API). */
  loginSeconds: number;
  signupSeconds: number;
  /** Marks results whose raw hash limit, login floor and W2 were measured in interleaved segments. */
  loginInterleaved: boolean;
  /** Marks results where every load test was followed by a wait for the servers to go quiet (settle.ts). */
  settledLoads: boolean;
  /** API processes for W1 (and W0): each count is measured, the floor with as many processes. */
  processCounts: number[];
  /** API processes serving W2, W3 and W4. */
  loginProcesses: number;
  logLevel: string;
  rateLimitScale: number;
  /**
   * The whole benchmark's limit. A run is started only if it should end well within it (fewer runs are
   * reported otherwise); one that still passes it stops the benchmark with an error.
   */
  timeLimitMs: number;
}

export function defaultSettings(quick: boolean): Settings {
  return {
    runs: quick ? 1 : 3,
    users: 100,
    fillerUsers: 10_000,
    connections: 64,
    stormConnections: 16,
    streamConnections: 4,
    streamRate: 100,
    warmupSeconds: quick ? 1 : 2,
    w1WarmupSeconds: quick ? 1 : 10,
    loginWarmupSeconds: quick ? 1 : 10,
    seconds: quick ? 2 : 5,
    interleavedSegments: quick ? 1 : 3,
    segmentSeconds: quick ? 2 : 3,
    loginSeconds: quick ? 3 : 8,
    signupSeconds: quick ? 2 : 5,
    loginInterleaved: true,
    settledLoads: true,
    processCounts: [1, 2],
    loginProcesses: 1,
    logLevel: "warn",
    rateLimitScale: 1_000_000,
    timeLimitMs: 9.5 * 60 * 1000,
  };
}

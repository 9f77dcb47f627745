/** Starting the servers a benchmark measures: the API as `pnpm start` runs it, and the floor server. */
import path from "node:path";
import { BENCH_DIR, FLOOR_SERVER, REPO_ROOT } from "./config.ts";
import type { BenchContext, BenchDatabase } from "./context.ts";
import { startNode, type Started } from "./processes.ts";

type ServerDatabase = Pick<BenchDatabase, "url" | "dataDir">;

function apiEnv(bench: BenchContext, port: number, db: ServerDatabase): NodeJS.ProcessEnv {
  const { settings } = bench;
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
    TRUST_PROXY: bench.sameIp ? "false" : "true",
  };
  if (db.url) env.DATABASE_URL = db.url;
  return env;
}

/** The API as `pnpm start` runs it: `node apps/api/dist/index.js`, with `--workers N` for N > 1. */
export async function startApi(
  bench: BenchContext,
  workers: number,
  port: number,
  db: ServerDatabase,
  nodeArgs: readonly string[] = [],
  logName = `api-${workers}`,
): Promise<Started> {
  return startNode({
    name: workers > 1 ? `API (--workers ${workers})` : "API",
    nodeArgs: [...bench.apiNodeFlags, ...nodeArgs],
    script: bench.apiEntry,
    args: workers > 1 ? ["--workers", String(workers)] : [],
    workers: workers > 1 ? workers : 0,
    env: apiEnv(bench, port, db),
    port,
    readyPath: "/healthz",
    logFile: path.join(bench.tmp, `${logName}.log`),
    cwd: REPO_ROOT,
  });
}

/** The floor server, alone or as node:cluster workers sharing the port like the API's. */
export async function startFloor(
  bench: BenchContext,
  workers: number,
  port: number,
  db: ServerDatabase,
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
    logFile: path.join(bench.tmp, `${logName}.log`),
    cwd: BENCH_DIR,
  });
}

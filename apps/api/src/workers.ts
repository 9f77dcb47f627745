import cluster from "node:cluster";
import type { Logger } from "./logger.ts";

/** The most worker processes `--workers` accepts; more only contend for the same cores. */
export const MAX_WORKERS = 64;
/** A worker that dies sooner than this after starting is not restarted (it would crash-loop). */
const MIN_UPTIME_MS = 5_000;

/**
 * Reads `--workers N` (or `--workers=N`) from the command line: 1 when absent. Throws a one-line
 * error for anything but a whole number from 1 to {@link MAX_WORKERS}.
 */
export function parseWorkers(argv: readonly string[]): number {
  const index = argv.findIndex((arg) => arg === "--workers" || arg.startsWith("--workers="));
  if (index === -1) return 1;
  const arg = argv[index] ?? "";
  const raw = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[index + 1];
  const value = Number(raw);
  if (!raw || !Number.isInteger(value) || value < 1 || value > MAX_WORKERS) {
    throw new Error(
      `--workers: must be a whole number from 1 to ${MAX_WORKERS} (got ${raw === undefined ? "nothing" : `"${raw}"`})`,
    );
  }
  return value;
}

/**
 * Runs as the cluster's primary: forks `count` workers that share the listening port (Node's
 * cluster balances connections between them), restarts a worker that dies after running a while,
 * and passes SIGINT/SIGTERM on so that every worker shuts down cleanly.
 */
export function superviseWorkers(count: number, logger: Logger, onStopped: () => Promise<void>): void {
  const startedAt = new Map<number, number>();
  let stopping = false;
  const fork = (): void => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
  };
  cluster.on("exit", (worker, code, signal) => {
    const uptime = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (startedAt.size === 0) void onStopped().finally(() => process.exit(0));
      return;
    }
    if (uptime < MIN_UPTIME_MS) {
      logger.fatal({ pid: worker.process.pid, code, signal }, "a worker failed at start-up; stopping");
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.kill("SIGTERM");
      if (startedAt.size === 0) void onStopped().finally(() => process.exit(1));
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, "worker died; starting another");
    fork();
  });
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down workers");
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  for (let i = 0; i < count; i += 1) fork();
}

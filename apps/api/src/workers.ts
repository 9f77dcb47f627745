import cluster from "node:cluster";
import type { Logger } from "./logger.ts";
import { onStopSignals, STOP_MESSAGE, STOP_NOW_MESSAGE } from "./shutdown.ts";

/** A worker that dies sooner than this after starting is not restarted (it would crash-loop). */
const MIN_UPTIME_MS = 5_000;

/**
 * Runs as the cluster's primary: forks `count` workers that share the listening port (Node's
 * cluster balances connections between them), restarts a worker that dies after running a while,
 * and on SIGINT/SIGTERM tells every worker to shut down cleanly (at once on a second signal).
 * Exits 1 when a worker's failure at start-up was what stopped them, 0 after a signal.
 */
export function superviseWorkers(count: number, logger: Logger, onStopped: () => Promise<void>): void {
  const startedAt = new Map<number, number>();
  let stopping = false;
  let exitCode = 0;
  const fork = (): void => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
  };
  const tellWorkers = (message: string): void => {
    // A worker that is already exiting has no channel left; it needs no telling.
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected()) worker.send(message, () => undefined);
    }
  };
  cluster.on("exit", (worker, code, signal) => {
    const uptime = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (!stopping && uptime < MIN_UPTIME_MS) {
      logger.fatal({ pid: worker.process.pid, code, signal }, "a worker failed at start-up; stopping");
      stopping = true;
      exitCode = 1;
      tellWorkers(STOP_MESSAGE);
    } else if (!stopping) {
      logger.error({ pid: worker.process.pid, code, signal }, "worker died; starting another");
      fork();
      return;
    }
    if (startedAt.size === 0) void onStopped().finally(() => process.exit(exitCode));
  });
  onStopSignals(
    logger,
    (signal) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down workers");
      tellWorkers(STOP_MESSAGE);
    },
    () => tellWorkers(STOP_NOW_MESSAGE),
  );
  for (let i = 0; i < count; i += 1) fork();
}

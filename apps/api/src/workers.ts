import cluster from "node:cluster";
import type { Logger } from "./logger.ts";
import { onStopSignals, STOP_MESSAGE, STOP_NOW_MESSAGE } from "./shutdown.ts";

/** A worker that dies sooner than this after it started listening is not restarted (it would crash-loop). */
const MIN_UPTIME_MS = 5_000;

/**
 * Runs as the cluster's primary: forks `count` workers that share the listening port (Node's
 * cluster balances connections between them), restarts a worker that dies after serving a while,
 * and on SIGINT/SIGTERM tells every worker to shut down cleanly (at once on a second signal).
 * A worker that dies before it listens, or soon after, failed at start-up (the port is taken, the
 * database refuses it): however long its start took, all of them stop then, and the exit code is 1;
 * after a signal it is 0.
 */
export function superviseWorkers(count: number, logger: Logger, onStopped: () => Promise<void>): void {
  /** Each live worker, with when it first listened (undefined while it is starting). */
  const listeningSince = new Map<number, number | undefined>();
  let stopping = false;
  let exitCode = 0;
  const fork = (): void => {
    listeningSince.set(cluster.fork().id, undefined);
  };
  const tellWorkers = (message: string): void => {
    // A worker that is already exiting has no channel left; it needs no telling.
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected()) worker.send(message, () => undefined);
    }
  };
  cluster.on("listening", (worker) => {
    if (listeningSince.get(worker.id) === undefined) listeningSince.set(worker.id, Date.now());
  });
  cluster.on("exit", (worker, code, signal) => {
    const since = listeningSince.get(worker.id);
    listeningSince.delete(worker.id);
    if (!stopping && (since === undefined || Date.now() - since < MIN_UPTIME_MS)) {
      logger.fatal({ pid: worker.process.pid, code, signal }, "a worker failed at start-up; stopping");
      stopping = true;
      exitCode = 1;
      tellWorkers(STOP_MESSAGE);
    } else if (!stopping) {
      logger.error({ pid: worker.process.pid, code, signal }, "worker died; starting another");
      fork();
      return;
    }
    if (listeningSince.size === 0) void onStopped().finally(() => process.exit(exitCode));
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

import type { DbHandle } from "@tsbin/db";
import cluster from "node:cluster";
import { createApp } from "./app.ts";
import { scheduleCleanup } from "./cleanup.ts";
import { describeError } from "./describe-error.ts";
import { EnvError, loadEnv, type Env } from "./env.ts";
import { listenUrl } from "./listen-url.ts";
import { createLogger, type Logger } from "./logger.ts";
import { DatabaseOpenError, openDatabaseOrExplain } from "./open-database.ts";
import { closeServers, listen } from "./server.ts";
import {
  exitAtOnce,
  onStopSignals,
  SHUTDOWN_GRACE_MS,
  STOP_MESSAGE,
  STOP_NOW_MESSAGE,
  type StopSignal,
} from "./shutdown.ts";
import { parseStartArgs } from "./start-args.ts";
import { superviseWorkers } from "./workers.ts";

/** How long work started after an answer (reset emails and the like) may still use the database at shutdown. */
const BACKGROUND_GRACE_MS = 5_000;

function fail(line: string): never {
  process.stderr.write(`tsbin: ${line}\n`);
  process.exit(1);
}

async function openDatabaseOrFail(env: Env): Promise<DbHandle> {
  try {
    return (await openDatabaseOrExplain(env)).database;
  } catch (error) {
    fail(error instanceof DatabaseOpenError ? error.message : describeError(error));
  }
}

/** One server process: the app on its port, until SIGINT or SIGTERM (or the primary says so). */
async function serve(env: Env, logger: Logger, options: { cleanup: boolean }): Promise<void> {
  // Until the server is up there is nothing to drain: a signal exits at once (workers run on
  // PostgreSQL, which a migration interrupted by the exit leaves as it was). The handlers are in
  // place from the start: a signal that came before them would kill the process outright, without
  // the exit hooks that release the embedded database's lock, and one can arrive right after the
  // "ready" line.
  let stop = (reason: StopSignal | "primary"): void => exitAtOnce(reason === "primary" ? "SIGTERM" : reason);
  let ready = false;
  onStopSignals(logger, (signal) => stop(signal));
  if (cluster.isWorker) {
    // Ctrl-C reaches the workers too, but `kill` or `docker stop` reach only the primary, which tells them.
    process.on("message", (message) => {
      if (message === STOP_NOW_MESSAGE || (message === STOP_MESSAGE && !ready)) exitAtOnce("SIGTERM");
      if (message === STOP_MESSAGE) stop("primary");
    });
  }
  const database = await openDatabaseOrFail(env);
  const { app, services } = createApp({ env, database, logger });
  const cleanup = options.cleanup ? scheduleCleanup(database.db, logger) : undefined;
  let servers;
  try {
    servers = await listen(app, env.host, env.port);
  } catch (error) {
    await database.close();
    fail(`cannot listen on ${env.host}:${env.port}: ${describeError(error)}`);
  }
  logger.info(
    { url: listenUrl(env.host, servers.port), database: database.kind, publicUrl: env.publicUrl, pid: process.pid },
    "tsbin is ready",
  );
  let stopping = false;
  ready = true;
  stop = (reason) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: reason }, "shutting down");
    clearInterval(cleanup);
    void closeServers(servers.servers, SHUTDOWN_GRACE_MS)
      // Reset emails and other work started after an answer still need the database.
      .then(() => services.background.settledWithin(BACKGROUND_GRACE_MS))
      .then(() => database.close())
      .finally(() => process.exit(0));
  };
}

async function main(): Promise<void> {
  let env: Env;
  let workers: number;
  try {
    env = loadEnv();
    workers = parseStartArgs(process.argv.slice(2)).workers;
  } catch (error) {
    fail(error instanceof EnvError ? `configuration error: ${error.message}` : describeError(error));
  }
  const logger = createLogger(env.logLevel);
  if (cluster.isWorker) return serve(env, logger, { cleanup: false });
  if (workers === 1) return serve(env, logger, { cleanup: true });
  if (!env.databaseUrl) {
    fail("--workers needs DATABASE_URL: the embedded database can be opened by one process only.");
  }
  // Migrate once here, so the workers start on an up-to-date schema; the primary also sweeps
  // expired sessions so that the workers do not each do it.
  const database = await openDatabaseOrFail(env);
  const cleanup = scheduleCleanup(database.db, logger);
  superviseWorkers(workers, logger, async () => {
    clearInterval(cleanup);
    await database.close();
  });
}

await main();

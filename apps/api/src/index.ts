import { DataDirInUseError, type DbHandle } from "@tsbin/db";
import cluster from "node:cluster";
import { createApp } from "./app.ts";
import { scheduleCleanup } from "./cleanup.ts";
import { openMigratedDatabase } from "./database.ts";
import { describeError } from "./describe-error.ts";
import { EnvError, loadEnv, type Env } from "./env.ts";
import { createLogger, type Logger } from "./logger.ts";
import { closeServers, listen } from "./server.ts";
import { parseWorkers, superviseWorkers } from "./workers.ts";

function fail(line: string): never {
  process.stderr.write(`tsbin: ${line}\n`);
  process.exit(1);
}

async function openDatabaseOrFail(env: Env): Promise<DbHandle> {
  try {
    return await openMigratedDatabase(env);
  } catch (error) {
    // Already one line that names the directory and what to do.
    if (error instanceof DataDirInUseError) fail(error.message);
    const where = env.databaseUrl ? "the PostgreSQL server at DATABASE_URL" : `the embedded database in ${env.dataDir}`;
    fail(`cannot open ${where}: ${describeError(error)}`);
  }
}

/** One server process: the app on its port, until SIGINT or SIGTERM. */
async function serve(env: Env, logger: Logger, options: { cleanup: boolean }): Promise<void> {
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
    { url: `http://${env.host}:${servers.port}`, database: database.kind, publicUrl: env.publicUrl, pid: process.pid },
    "tsbin is ready",
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    clearInterval(cleanup);
    void closeServers(servers.servers)
      // Reset emails and other work started after an answer still need the database.
      .then(() => services.background.settledWithin(5_000))
      .then(() => database.close())
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

async function main(): Promise<void> {
  let env: Env;
  let workers: number;
  try {
    env = loadEnv();
    workers = parseWorkers(process.argv.slice(2));
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

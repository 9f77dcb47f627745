import type { DbHandle } from "@tsbin/db";
import { createApp } from "./app.ts";
import { openMigratedDatabase } from "./database.ts";
import { describeError } from "./describe-error.ts";
import { EnvError, loadEnv, type Env } from "./env.ts";
import { scheduleCleanup } from "./cleanup.ts";
import { createLogger } from "./logger.ts";
import { closeServers, listen } from "./server.ts";

function fail(line: string): never {
  process.stderr.write(`tsbin: ${line}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    fail(error instanceof EnvError ? `configuration error: ${error.message}` : describeError(error));
  }
  const logger = createLogger(env.logLevel);

  let database: DbHandle;
  try {
    database = await openMigratedDatabase(env);
  } catch (error) {
    const where = env.databaseUrl ? "the PostgreSQL server at DATABASE_URL" : `the embedded database in ${env.dataDir}`;
    fail(`cannot open ${where}: ${describeError(error)}`);
  }

  const { app } = createApp({ env, database, logger });
  const cleanup = scheduleCleanup(database.db, logger);
  let servers;
  try {
    servers = await listen(app, env.host, env.port);
  } catch (error) {
    await database.close();
    fail(`cannot listen on ${env.host}:${env.port}: ${describeError(error)}`);
  }
  logger.info(
    { url: `http://${env.host}:${servers.port}`, database: database.kind, publicUrl: env.publicUrl },
    "tsbin is ready",
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    clearInterval(cleanup);
    void closeServers(servers.servers)
      .then(() => database.close())
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

await main();

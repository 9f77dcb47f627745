import { createTestDb, type TestDb } from "@tsbin/db/testing";
import type { Hono } from "hono";
import type { SessionVariables } from "./middleware/session.ts";
import type { Services } from "./services.ts";
import { INSECURE_TEST_PASSWORD_HASHER_PARAMS } from "@tsbin/auth-core/server";
import { createApp, type AppOptions } from "./app.ts";
import { loadEnv, type Env } from "./env.ts";
import { createLogger, type Logger } from "./logger.ts";
import { pino } from "pino";
import { Writable } from "node:stream";
import type { AppDeps } from "./services.ts";

export interface TestApp {
  app: Hono<{ Variables: SessionVariables }>;
  services: Services;
  env: Env;
  database: TestDb;
  close(): Promise<void>;
}

/** The whole application on a fresh, migrated database, with logging silenced. */
export async function createTestApp(
  vars: Record<string, string> = {},
  options: AppOptions = {},
  deps: Partial<Pick<AppDeps, "email" | "hasherParams" | "logger">> = {},
): Promise<TestApp> {
  const env = loadEnv({ LOG_LEVEL: "silent", DATA_DIR: "/nonexistent/tsbin-test", ...vars });
  const database = await createTestDb();
  const { app, services } = createApp(
    { env, database, logger: createLogger(env.logLevel), hasherParams: INSECURE_TEST_PASSWORD_HASHER_PARAMS, ...deps },
    options,
  );
  return {
    app,
    services,
    env,
    database,
    // As the server's own shutdown does: work still running after the last answer (an email being
    // written to the outbox) finishes before the database closes and a test removes its directory.
    close: async () => {
      await services.background.settledWithin(5_000);
      await database.close();
    },
  };
}

/** A logger at `info` whose JSON lines are kept, parsed, in `lines`: for tests that check what was logged. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: "info", base: undefined }, sink), lines };
}

import { createDb, DEFAULT_MIGRATIONS_FOLDER, type DbHandle } from "@tsbin/db";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Env } from "./env.ts";
import { BUNDLED_MIGRATIONS_DIR } from "./paths.ts";

/** The migrations next to the production bundle when there is one, else the package's own. */
export function migrationsFolder(): string {
  return existsSync(path.join(BUNDLED_MIGRATIONS_DIR, "meta", "_journal.json"))
    ? BUNDLED_MIGRATIONS_DIR
    : DEFAULT_MIGRATIONS_FOLDER;
}

/** Opens the configured database: PostgreSQL at DATABASE_URL, or PGlite persisted in DATA_DIR. */
export async function openDatabase(env: Pick<Env, "databaseUrl" | "dataDir">): Promise<DbHandle> {
  if (env.databaseUrl) return createDb({ url: env.databaseUrl });
  const dataDir = path.join(env.dataDir, "pglite");
  await mkdir(dataDir, { recursive: true });
  return createDb({ dataDir });
}

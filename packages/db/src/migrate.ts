import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

/** Where drizzle-kit writes the committed migrations, next to this package's source. */
export const DEFAULT_MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Any number fixed for tsbin; every process that migrates takes this advisory lock first. */
const MIGRATION_LOCK_KEY = 728_146_013;

export type MigrationTarget = { url: string } | { pglite: PGlite };

/**
 * Applies pending migrations. On PostgreSQL it holds an advisory lock on one dedicated connection,
 * so several API processes starting at once migrate one after the other instead of racing.
 */
export async function migrateDatabase(
  target: MigrationTarget,
  migrationsFolder: string = DEFAULT_MIGRATIONS_FOLDER,
): Promise<void> {
  if ("pglite" in target) {
    // Loaded only for the embedded database, so a server on PostgreSQL never holds PGlite in memory.
    const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
    await migratePglite(drizzlePglite({ client: target.pglite }), { migrationsFolder });
    return;
  }
  const client = postgres(target.url, { max: 1, connect_timeout: 10, onnotice: () => undefined });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { reachPostgres } from "./postgres-first-contact.ts";

/** Where drizzle-kit writes the committed migrations, next to this package's source. */
export const DEFAULT_MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Any number fixed for tsbin; every process that migrates takes this advisory lock first. */
const MIGRATION_LOCK_KEY = 728_146_013;

export type MigrationTarget = { url: string } | { pglite: PGlite };

export interface MigrateOptions {
  /** Seconds to wait for the PostgreSQL server's first answer before giving up. */
  connectTimeoutSeconds?: number;
}

/** How long a start-up or `pnpm manage` waits for a PostgreSQL server that does not answer. */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

// Where drizzle's migrators record each migration applied, on both drivers.
const JOURNAL_EXISTS = "select to_regclass('drizzle.__drizzle_migrations') is not null as present";
const JOURNAL_COUNT = "select count(*)::int as applied from drizzle.__drizzle_migrations";

/**
 * Applies pending migrations and resolves with how many it applied (0 when none were pending). On
 * PostgreSQL it holds an advisory lock on one dedicated connection, so several API processes
 * starting at once migrate one after the other instead of racing; a server that does not answer
 * fails with a {@link DatabaseUnreachableError} within `connectTimeoutSeconds`.
 */
export async function migrateDatabase(
  target: MigrationTarget,
  migrationsFolder: string = DEFAULT_MIGRATIONS_FOLDER,
  options: MigrateOptions = {},
): Promise<number> {
  if ("pglite" in target) {
    // Loaded only for the embedded database, so a server on PostgreSQL never holds PGlite in memory.
    const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
    const count = async (): Promise<number> => {
      const exists = await target.pglite.query<{ present: boolean }>(JOURNAL_EXISTS);
      if (exists.rows[0]?.present !== true) return 0;
      return (await target.pglite.query<{ applied: number }>(JOURNAL_COUNT)).rows[0]?.applied ?? 0;
    };
    const before = await count();
    await migratePglite(drizzlePglite({ client: target.pglite }), { migrationsFolder });
    return (await count()) - before;
  }
  const timeout = options.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
  const client = postgres(target.url, { max: 1, connect_timeout: timeout, onnotice: () => undefined });
  const count = async (): Promise<number> => {
    const [exists] = await client.unsafe<{ present: boolean }[]>(JOURNAL_EXISTS);
    if (exists?.present !== true) return 0;
    return (await client.unsafe<{ applied: number }[]>(JOURNAL_COUNT))[0]?.applied ?? 0;
  };
  try {
    await reachPostgres(client, target.url, timeout);
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      const before = await count();
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
      return (await count()) - before;
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

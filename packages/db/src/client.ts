import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { lockDataDir, type DataDirLock } from "./data-dir-lock.ts";
import { DEFAULT_MIGRATIONS_FOLDER, migrateDatabase } from "./migrate.ts";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;

/** The Drizzle database every caller uses, whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** A transaction handle, usable wherever a {@link Database} is expected for queries. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export type DbKind = "postgres" | "pglite";

export interface DbHandle {
  readonly db: Database;
  readonly kind: DbKind;
  /** Runs `select 1`; rejects when the database does not answer. */
  ping(): Promise<void>;
  /**
   * Runs raw SQL (one statement) with `$1`-style parameters and returns the rows: the hot paths'
   * hand-written statements, maintenance and tests. On PostgreSQL each text is prepared once per connection.
   */
  query<Row extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Applies pending migrations and resolves with how many it applied (see {@link migrateDatabase}). */
  migrate(migrationsFolder?: string): Promise<number>;
  close(): Promise<void>;
}

export interface PostgresOptions {
  /** Connections in the pool. */
  max?: number;
  /** Seconds to wait for a connection before failing, so a dead server fails requests fast. */
  connectTimeoutSeconds?: number;
  /** Milliseconds after which PostgreSQL cancels a statement, so a locked table cannot hang a request. */
  statementTimeoutMs?: number;
}

export type CreateDbOptions =
  { url: string; postgres?: PostgresOptions } | { dataDir: string } | { memory: true } | { pglite: PGlite };

const DEFAULT_POSTGRES: Required<PostgresOptions> = { max: 10, connectTimeoutSeconds: 5, statementTimeoutMs: 10_000 };

/**
 * Opens a postgres.js pool for a `postgres://` URL, or an embedded PGlite (on disk or in memory).
 * An on-disk PGlite is locked for this handle until `close()`: a second opener, in this process or
 * another, is refused with a `DataDirInUseError`.
 */
export async function createDb(options: CreateDbOptions): Promise<DbHandle> {
  if ("url" in options) return createPostgresDb(options.url, { ...DEFAULT_POSTGRES, ...options.postgres });
  // Locked before PGlite is loaded, so that a second opener fails at once and never touches the files.
  const lock = "dataDir" in options ? lockDataDir(options.dataDir) : undefined;
  try {
    return await createPgliteDb(options, lock);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function createPgliteDb(
  options: Exclude<CreateDbOptions, { url: string }>,
  lock: DataDirLock | undefined,
): Promise<DbHandle> {
  // PGlite (~11 MB resident once loaded) is imported only when the embedded database is used.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
  ]);
  const client =
    "pglite" in options
      ? options.pglite
      : await PGlite.create("dataDir" in options ? { dataDir: options.dataDir } : {});
  const db = drizzlePglite({ client, schema, casing: "snake_case" });
  return {
    db,
    kind: "pglite",
    ping: async () => {
      await client.query("select 1");
    },
    query: async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
      (await client.query<Row>(text, driverParams(params))).rows,
    migrate: (folder = DEFAULT_MIGRATIONS_FOLDER) => migrateDatabase({ pglite: client }, folder),
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

function createPostgresDb(url: string, options: Required<PostgresOptions>): DbHandle {
  const client = postgres(url, {
    max: options.max,
    connect_timeout: options.connectTimeoutSeconds,
    idle_timeout: 60,
    max_lifetime: 60 * 30,
    onnotice: () => undefined,
    // The driver's default backoff grows towards 20 s between reconnects; after a database restart
    // service should come back within a second of the server accepting connections again.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    connection: { statement_timeout: options.statementTimeoutMs, application_name: "tsbin" },
  });
  const db = drizzlePostgres({ client, schema, casing: "snake_case" });
  return {
    db,
    kind: "postgres",
    ping: async () => {
      await client`select 1`;
    },
    query: async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => {
      // Prepared (named, once per connection and text): `unsafe` defaults to an unnamed statement,
      // which PostgreSQL parses and plans on every call, and which with parameters costs a second
      // round trip to describe them first. postgres.js types its parameters narrowly; the values here
      // are plain scalars from our own code.
      const rows = await client.unsafe<Row[]>(text, driverParams(params) as postgres.ParameterOrJSON<never>[], {
        prepare: true,
      });
      return withDates(rows, rows.columns);
    },
    migrate: (folder = DEFAULT_MIGRATIONS_FOLDER) => migrateDatabase({ url }, folder),
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Drizzle turns off postgres.js's Date serialiser and timestamp parsers on the client it shares
 * with `query` (it maps dates itself). So `query` does the same for raw SQL on both drivers: Date
 * parameters go as ISO strings, and timestamp columns come back as Dates (PGlite parses them already).
 */
function driverParams(params: readonly unknown[]): unknown[] {
  return params.map((value) => (value instanceof Date ? value.toISOString() : value));
}

const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;

function withDates<Row extends Record<string, unknown>>(
  rows: Row[],
  columns: readonly { name: string; type: number }[] | undefined,
): Row[] {
  for (const { name, type } of columns ?? []) {
    if (type !== TIMESTAMPTZ && type !== TIMESTAMP) continue;
    // The rows are this call's own fresh objects: converted in place, not copied (the session check's hot path).
    for (const row of rows as Record<string, unknown>[]) {
      const value = row[name];
      // A timestamp without time zone is UTC here, as Drizzle reads it.
      if (typeof value === "string") row[name] = new Date(type === TIMESTAMP ? `${value}+0000` : value);
    }
  }
  return rows;
}

import { PGlite } from "@electric-sql/pglite";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDb, type DbHandle } from "./client.ts";

/**
 * The PostgreSQL server tests run against, when one is configured. With it unset, tests use an
 * in-memory PGlite; CI runs every suite both ways.
 */
export function testDatabaseServerUrl(): string | undefined {
  const url = process.env["DATABASE_URL"];
  return url && url.length > 0 ? url : undefined;
}

let pgliteTemplate: Promise<Blob | File> | undefined;

/** Migrating PGlite takes seconds; cloning a migrated data directory takes a fraction of that. */
async function migratedPgliteDump(): Promise<Blob | File> {
  pgliteTemplate ??= (async () => {
    const template = await PGlite.create();
    const handle = await createDb({ pglite: template });
    await handle.migrate();
    const dump = await template.dumpDataDir("none");
    await template.close();
    return dump;
  })();
  return pgliteTemplate;
}

export interface TestDb extends DbHandle {
  /** The URL of the throwaway database, when the test runs on a PostgreSQL server. */
  readonly url?: string;
}

/**
 * A freshly migrated, empty database of its own: an in-memory PGlite, or a new database on the
 * server at `DATABASE_URL` that `close()` drops again.
 */
export async function createTestDb(): Promise<TestDb> {
  const serverUrl = testDatabaseServerUrl();
  if (!serverUrl) {
    const pglite = await PGlite.create({ loadDataDir: await migratedPgliteDump() });
    return createDb({ pglite });
  }
  const name = `tsbin_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${name}"`);
  const url = withDatabase(serverUrl, name);
  const handle = await createDb({ url, postgres: { max: 5 } });
  await handle.migrate();
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

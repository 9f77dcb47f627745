// postgres.js 3.4.9 writes to the socket its close handler has already nulled when a connection dies
// with a query pending (porsager/postgres#1066, #1154, #1208): an uncatchable TypeError from
// setImmediate that ends the process. patches/postgres@3.4.9.patch makes those writes reject the
// queries with CONNECTION_CLOSED instead, and drops what the dead socket left behind (unsent bytes,
// the error of the query it was running, #1223) so that the reconnected socket starts clean. Only a
// real server can lose a backend, so this file runs only with DATABASE_URL (vitest.config.ts leaves it
// out of the PGlite run; CI runs every suite on PostgreSQL too); vitest fails the run on an uncaught error.
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDatabaseServerUrl, type TestDb } from "./testing.ts";

if (testDatabaseServerUrl() === undefined) {
  throw new Error("connection-loss.test.ts needs a PostgreSQL server: set DATABASE_URL");
}
// What a query on a dead connection may be rejected with, depending on when the close is noticed.
const CONNECTION_LOST = ["CONNECTION_CLOSED", "ECONNRESET", "EPIPE", "57P01"];

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause === undefined ? String(error) : errorCode(cause);
}

/** The backend pid from `select pg_backend_pid() as pid` (postgres.js gives an array of rows). */
function pidOf(result: unknown): number {
  const [row] = Array.isArray(result) ? (result as { pid?: unknown }[]) : [];
  return typeof row?.pid === "number" ? row.pid : 0;
}

async function codeOf(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
    return "ok";
  } catch (error) {
    return errorCode(error);
  }
}

describe("a connection that dies with a query pending (PostgreSQL)", () => {
  let database: TestDb;
  let killer: postgres.Sql;

  beforeAll(async () => {
    database = await createTestDb();
    killer = postgres(database.url ?? "", { max: 1, onnotice: () => undefined });
  });

  afterAll(async () => {
    await killer.end({ timeout: 5 });
    await database.close();
  });

  async function terminate(pid: number): Promise<void> {
    await killer`select pg_terminate_backend(${pid})`;
  }

  it("fails a transaction whose backend was terminated between two statements", async () => {
    const attempt = database.db.transaction(async (tx) => {
      await terminate(pidOf(await tx.execute(sql`select pg_backend_pid() as pid`)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Unpatched, this write (and the rollback after it) throws from setImmediate and never settles.
      await tx.execute(sql`select 1`);
    });
    expect(CONNECTION_LOST).toContain(await codeOf(attempt));
    await expect(database.ping()).resolves.toBeUndefined();
  });

  it("does not replay a dead backend's error onto the first query after the reconnect", async () => {
    // One connection, so the query after the failure runs on the reconnected one.
    const client = postgres(database.url ?? "", { max: 1, onnotice: () => undefined });
    try {
      const attempt = client.begin(async (tx) => {
        const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
        setTimeout(() => void terminate(row?.pid ?? 0).catch(() => undefined), 200);
        await tx`select pg_sleep(3)`;
      });
      expect(CONNECTION_LOST).toContain(await codeOf(attempt));
      // Unpatched, this fails with the old backend's 57P01 (porsager/postgres#1223).
      const [one] = await client<{ one: number }[]>`select 1 as one`;
      expect(one?.one).toBe(1);
    } finally {
      await client.end({ timeout: 5 });
    }
  });

  it("fails a transaction whose backend dies mid-statement, and the pool keeps serving", async () => {
    const attempt = database.db.transaction(async (tx) => {
      const pid = pidOf(await tx.execute(sql`select pg_backend_pid() as pid`));
      setTimeout(() => void terminate(pid).catch(() => undefined), 200);
      await tx.execute(sql`select pg_sleep(3)`);
    });
    expect(CONNECTION_LOST).toContain(await codeOf(attempt));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(database.ping()).resolves.toBeUndefined();
  });
});

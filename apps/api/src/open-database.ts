import { DataDirInUseError, type DbHandle } from "@tsbin/db";
import { access, constants } from "node:fs/promises";
import path from "node:path";
import { migrationsFolder, openDatabase } from "./database.ts";
import { describeError } from "./describe-error.ts";
import type { Env } from "./env.ts";

/** The database could not be opened; the message is the one line to print, the same for the server and `pnpm manage`. */
export class DatabaseOpenError extends Error {
  override readonly name = "DatabaseOpenError";
}

export interface OpenedDatabase {
  database: DbHandle;
  /** How many migrations this opening applied: 0 when the schema was up to date. */
  applied: number;
}

/** Opens the configured database and applies pending migrations, or throws a {@link DatabaseOpenError}. */
export async function openDatabaseOrExplain(env: Pick<Env, "databaseUrl" | "dataDir">): Promise<OpenedDatabase> {
  try {
    if (!env.databaseUrl) await checkWritable(path.join(env.dataDir, "pglite"));
    const database = await openDatabase(env);
    try {
      return { database, applied: await database.migrate(migrationsFolder()) };
    } catch (error) {
      await database.close();
      throw error;
    }
  } catch (error) {
    // Already one line that names the directory and what to do.
    if (error instanceof DataDirInUseError) throw new DatabaseOpenError(error.message);
    const where = env.databaseUrl ? "the PostgreSQL server at DATABASE_URL" : `the embedded database in ${env.dataDir}`;
    throw new DatabaseOpenError(`cannot open ${where}: ${describeError(error)}`);
  }
}

const NOT_WRITABLE = new Set(["EACCES", "EPERM", "EROFS"]);

/**
 * PGlite fails on a directory it cannot write with only "PGlite failed to initialize properly";
 * checked first so that the message says why. A directory not there yet is created by the opener,
 * so then the nearest one that exists must be writable (creating it there fails with ENOENT, not
 * EROFS, on a read-only file system).
 */
async function checkWritable(dir: string): Promise<void> {
  try {
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && NOT_WRITABLE.has(code)) throw new Error(`${dir} is not writable`);
    const parent = path.dirname(dir);
    if (code === "ENOENT" && parent !== dir) await checkWritable(parent);
  }
}

export * from "./schema/index.ts";
export {
  createDb,
  type CreateDbOptions,
  type Database,
  type DbHandle,
  type DbKind,
  type PostgresOptions,
  type Schema,
  type Transaction,
} from "./client.ts";
export { DataDirInUseError } from "./data-dir-lock.ts";
export { DEFAULT_MIGRATIONS_FOLDER, migrateDatabase, type MigrationTarget } from "./migrate.ts";
// Re-exported so that packages using @tsbin/db need not depend on drizzle-orm themselves.
export { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, ne, not, or, sql } from "drizzle-orm";
export type { SQL } from "drizzle-orm";

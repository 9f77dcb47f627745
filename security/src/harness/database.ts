import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** The machine's PostgreSQL server; the run creates a database of its own there and drops it after. */
export const SERVER_ADMIN_URL = process.env["SECURITY_PG_ADMIN_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type Sql = postgres.Sql;

/** A postgres.js client for the run's database: seeding, asserting on rows, moving time. */
export function openSql(url: string, max = 4): Sql {
  return postgres(url, { max, onnotice: () => undefined, connect_timeout: 5, idle_timeout: 20 });
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface RunDatabase {
  /** The postgres:// URL of the fresh database, or "" when no server answered (PGlite fallback). */
  url: string;
  kind: "postgres" | "pglite";
  /** Why the run fell back to PGlite, when it did. */
  note: string;
  drop(): Promise<void>;
}

/** Creates `tsbin_security_<random>` on the local server, or falls back to PGlite when none answers. */
export async function createRunDatabase(adminUrl: string = SERVER_ADMIN_URL): Promise<RunDatabase> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined, connect_timeout: 3 });
  const name = `tsbin_security_${randomBytes(5).toString("hex")}`;
  try {
    await admin.unsafe(`create database "${name}"`);
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    return {
      url: "",
      kind: "pglite",
      note: `no PostgreSQL server answered at ${new URL(adminUrl).host} (${reason}): running on PGlite (DATABASE_URL="")`,
      drop: () => Promise.resolve(),
    };
  }
  return {
    url: withDatabase(adminUrl, name),
    kind: "postgres",
    note: `fresh database ${name} on ${new URL(adminUrl).host}`,
    async drop() {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** Counts and checksums of the tables "DB diff = 0" is about (catalogue section 0). */
export async function dbFingerprint(sql: Sql): Promise<Record<string, string>> {
  const queries: Record<string, string> = {
    users: "select count(*)::text || ':' || coalesce(md5(string_agg(u::text, ',' order by id)), '') as f from users u",
    profiles:
      "select count(*)::text || ':' || coalesce(md5(string_agg(p::text, ',' order by id)), '') as f from profiles p",
    sessions:
      "select count(*)::text || ':' || coalesce(md5(string_agg(id || secret_hash::text || user_id::text, ',' order by id)), '') as f from sessions",
    reset_tokens:
      "select count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' order by id)), '') as f from password_reset_tokens t",
    user_groups:
      "select count(*)::text || ':' || coalesce(md5(string_agg(g::text, ',' order by user_id, group_id)), '') as f from user_groups g",
    user_permissions:
      "select count(*)::text || ':' || coalesce(md5(string_agg(p::text, ',' order by user_id, permission_id)), '') as f from user_permissions p",
  };
  const result: Record<string, string> = {};
  for (const [table, text] of Object.entries(queries)) {
    const rows = await sql.unsafe<{ f: string }[]>(text);
    result[table] = rows[0]?.f ?? "";
  }
  return result;
}

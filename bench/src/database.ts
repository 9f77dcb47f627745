/**
 * The benchmark's database. With DATABASE_URL, a scratch database is created next to the one it
 * names (same server, same settings) and dropped afterwards, so a run never touches real data and
 * always starts from the same row counts; if the role may not create databases, the named database
 * is used and the benchmark's users are deleted at the end. Without DATABASE_URL, an embedded PGlite
 * in a temporary directory, as the API itself would use.
 */
import { emailKey, getSessionExpiresAt, usernameKey } from "@tsbin/auth-core";
import { createPasswordHasher, generateSessionToken, type PasswordHasher } from "@tsbin/auth-core/server";
import { createDb, DEFAULT_LANGUAGE_SLUG, DEFAULT_MIGRATIONS_FOLDER, type DbHandle } from "@tsbin/db";
import path from "node:path";
import postgres from "postgres";

/** Every account the benchmark creates starts with this, so it can be told apart and removed. */
export const USER_PREFIX = "bench_";
export const PASSWORD = "Quartz-Meadow-7319!";

export interface BenchDatabase {
  kind: "postgres" | "pglite";
  /** What the API and the floor get as DATABASE_URL; undefined for PGlite. */
  url: string | undefined;
  /** For PGlite: the DATA_DIR the API gets (the database is in `<dataDir>/pglite`). */
  dataDir: string;
  /** How the database was chosen, for the report. */
  description: string;
  serverVersion: string;
  drop(): Promise<void>;
}

export interface SeededUser {
  id: number;
  username: string;
  /** The session cookie value, `<id>.<secret>`. */
  sessionToken: string;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function openBenchDatabase(databaseUrl: string | undefined, dataDir: string): Promise<BenchDatabase> {
  if (!databaseUrl) {
    return {
      kind: "pglite",
      url: undefined,
      dataDir,
      description: `embedded PGlite in ${path.join(dataDir, "pglite")} (DATABASE_URL unset)`,
      serverVersion: "PGlite",
      drop: () => Promise.resolve(),
    };
  }
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => undefined, connect_timeout: 10 });
  try {
    const [row] = await admin<{ version: string }[]>`select current_setting('server_version') as version`;
    const serverVersion = `PostgreSQL ${row?.version ?? "?"}`;
    const name = `tsbin_bench_${Date.now().toString(36)}_${process.pid}`;
    try {
      await admin.unsafe(`create database "${name}"`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        kind: "postgres",
        url: databaseUrl,
        dataDir,
        description: `the database at DATABASE_URL itself (could not create a scratch database: ${reason})`,
        serverVersion,
        drop: () => deleteBenchUsers(databaseUrl),
      };
    }
    const url = withDatabase(databaseUrl, name);
    return {
      kind: "postgres",
      url,
      dataDir,
      description: `scratch database "${name}" on the server at DATABASE_URL, dropped afterwards`,
      serverVersion,
      drop: async () => {
        const client = postgres(databaseUrl, { max: 1, onnotice: () => undefined, connect_timeout: 10 });
        try {
          await client.unsafe(`drop database if exists "${name}" with (force)`);
        } finally {
          await client.end({ timeout: 5 });
        }
      },
    };
  } finally {
    await admin.end({ timeout: 5 });
  }
}

async function deleteBenchUsers(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => undefined, connect_timeout: 10 });
  try {
    await client`delete from users where username like ${`${USER_PREFIX}%`}`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function connect(db: BenchDatabase): Promise<DbHandle> {
  return db.url ? createDb({ url: db.url }) : createDb({ dataDir: path.join(db.dataDir, "pglite") });
}

/** The hasher the API prefers, at its default cost (PASSWORD_HASHERS unset: argon2id first). */
export function preferredHasher(): PasswordHasher {
  return createPasswordHasher();
}

/**
 * Applies the migrations and creates `count` active users, each with a profile (as sign-up would)
 * and one live session. All share one password hash, made once with the preferred hasher. Then
 * `fillerCount` more accounts, each with a profile and a live session, that the load never uses:
 * a site's tables hold more than the hundred users a test rotates over, and with only those the
 * planner reads whole tables instead of their indexes (a session check then scans every user).
 */
export async function seed(
  db: BenchDatabase,
  count: number,
  hasher: PasswordHasher,
  fillerCount: number,
): Promise<{ users: SeededUser[]; passwordHash: string }> {
  const handle = await connect(db);
  try {
    await handle.migrate(DEFAULT_MIGRATIONS_FOLDER);
    const passwordHash = await hasher.hash(PASSWORD);
    const users: SeededUser[] = [];
    const now = new Date();
    const expiresAt = getSessionExpiresAt({ createdAt: now, lastVerifiedAt: now });
    for (let i = 0; i < count; i++) {
      const username = `${USER_PREFIX}user_${String(i).padStart(3, "0")}`;
      const email = `${username}@example.com`;
      const [row] = await handle.query<{ id: number }>(
        `insert into users (password, username, username_key, email, email_key, is_active)
         values ($1, $2, $3, $4, $5, true)
         on conflict (username_key) do update set password = excluded.password
         returning id`,
        [passwordHash, username, usernameKey(username), email, emailKey(email)],
      );
      if (!row) throw new Error(`could not create ${username}`);
      await handle.query(
        `insert into profiles (user_id, default_language_id)
         values ($1, (select id from languages where slug = $2)) on conflict (user_id) do nothing`,
        [row.id, DEFAULT_LANGUAGE_SLUG],
      );
      const { id, token, secretHash } = generateSessionToken();
      await handle.query(
        `insert into sessions (id, secret_hash, user_id, created_at, last_verified_at, expires_at, user_agent, ip_address)
         values ($1, $2, $3, $4, $4, $5, 'tsbin-bench', '127.0.0.1')`,
        [id, Buffer.from(secretHash), row.id, now.toISOString(), expiresAt.toISOString()],
      );
      users.push({ id: row.id, username, sessionToken: token });
    }
    if (fillerCount > 0) await seedFiller(handle, fillerCount, passwordHash);
    // Fresh statistics, so the planner uses the indexes from the first request on.
    await handle.query("analyze");
    return { users, passwordHash };
  } finally {
    await handle.close();
  }
}

/** `count` accounts with a profile and a live session each, in one statement. */
async function seedFiller(handle: DbHandle, count: number, passwordHash: string): Promise<void> {
  await handle.query(
    `with created as (
       insert into users (password, username, username_key, email, email_key, is_active)
       select $1, name, name, name || '@example.com', name || '@example.com', true
         from (select $2 || lpad(g::text, 6, '0') as name from generate_series(1, $3::int) g) names
       on conflict (username_key) do nothing
       returning id
     ), profiled as (
       insert into profiles (user_id, default_language_id)
       select id, (select id from languages where slug = $4) from created
     )
     insert into sessions (id, secret_hash, user_id, created_at, last_verified_at, expires_at, user_agent, ip_address)
     select replace(gen_random_uuid()::text, '-', ''), sha256(convert_to(gen_random_uuid()::text, 'UTF8')), id,
            now(), now(), now() + interval '14 days', 'tsbin-bench', '127.0.0.1'
       from created`,
    [passwordHash, `${USER_PREFIX}filler_`, count, DEFAULT_LANGUAGE_SLUG],
  );
}

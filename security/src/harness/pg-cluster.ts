import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { freePort } from "./server-process.ts";

const run = promisify(execFile);

/** The newest PostgreSQL server binaries Debian installed (/usr/lib/postgresql/<version>/bin). */
export function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql");
  return path.join(root, newest, "bin");
}

/**
 * A throwaway PostgreSQL cluster that the fault checks may stop, crash and restart: its own data
 * directory in /tmp owned by the postgres OS user, its own port and socket directory. The machine's
 * own server on 5432 is never touched.
 */
export interface PgCluster {
  readonly port: number;
  readonly dir: string;
  /** Superuser connection string for a database of the cluster. */
  adminUrl(database?: string): string;
  /** `pg_ctl start -w`: resolves once the server accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m immediate`: a crash, as far as PostgreSQL is concerned. */
  stopImmediate(): Promise<void>;
  isReady(): Promise<boolean>;
  /** Stops the server (if running) and deletes the directory. */
  destroy(): Promise<void>;
}

async function asPostgres(command: string, args: string[]): Promise<string> {
  const { stdout } = await run("runuser", ["-u", "postgres", "--", command, ...args], { timeout: 120_000 });
  return stdout;
}

export async function createCluster(extraSettings: string[] = []): Promise<PgCluster> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(path.join(tmpdir(), "tsbin-pg-"));
  const pgUid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
  const pgGid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
  await chown(dir, pgUid, pgGid);
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  const port = await freePort();
  await asPostgres(path.join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    ...extraSettings.map((s) => `-c ${s}`),
  ].join(" ");
  const pgCtl = path.join(bin, "pg_ctl");

  const cluster: PgCluster = {
    port,
    dir,
    adminUrl: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await asPostgres(pgCtl, ["-D", data, "-o", options, "-l", logFile, "-w", "-t", "60", "start"]);
    },
    async stopImmediate() {
      await asPostgres(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]);
    },
    async isReady() {
      try {
        await run(path.join(bin, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port)], { timeout: 5_000 });
        return true;
      } catch {
        return false;
      }
    },
    async destroy() {
      await asPostgres(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}

/** Runs SQL on the cluster as its superuser with a short-lived connection. */
export async function clusterSql<T extends readonly object[]>(
  url: string,
  text: string,
  params: (string | number)[] = [],
): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
  try {
    return (await sql.unsafe(text, params)) as unknown as T;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** What the parts of one benchmark share: its settings, where its servers log, and its database and users. */
import type { Settings } from "./config.ts";
import type { SeededUser } from "./database.ts";
import type { Started } from "./processes.ts";
import type { Requests } from "./requests.ts";

/** The benchmark's settings and options, fixed once the command line is read. */
export interface BenchContext {
  settings: Settings;
  /** The workloads to measure (`--workloads`): w0 … w4. */
  workloads: ReadonlySet<string>;
  /** `--same-ip`: every simulated user from 127.0.0.1 instead of an address of its own. */
  sameIp: boolean;
  requests: Requests;
  /** The scratch folder the servers' logs go to. */
  tmp: string;
  /** The API bundle to start, and the Node flags of every API process. */
  apiEntry: string;
  apiNodeFlags: readonly string[];
  /** Whether DATABASE_URL's server runs on this machine, so that its CPU can be counted. */
  localPostgres: boolean;
  cores: number;
  log: (line: string) => void;
}

/** Where the servers find the database: DATABASE_URL's server, or PGlite in `dataDir`. */
export interface BenchDatabase {
  kind: "postgres" | "pglite";
  url: string | undefined;
  dataDir: string;
}

/** On PostgreSQL, the login floor and the API for W2–W4: started and warmed once, up for every run. */
export interface LoginServers {
  api: Started;
  floor: Started;
}

export interface RunContext {
  bench: BenchContext;
  db: BenchDatabase;
  users: SeededUser[];
  passwordHash: string;
  port: number;
  /** The floor server's port while the API is up on `port` (W0 and W1 are interleaved). */
  floorPort: number;
  loginServers: LoginServers | null;
}

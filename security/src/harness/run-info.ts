import { inject } from "vitest";

/** What the global setup hands every test file: the running server and the run's database. */
export interface RunInfo {
  baseUrl: string;
  port: number;
  /** The server process, for RSS readings. */
  pid: number;
  /** postgres:// URL of the run's database, or "" on the PGlite fallback. */
  dbUrl: string;
  dbKind: "postgres" | "pglite";
  dbNote: string;
  /** The server's DATA_DIR (the file email backend writes `outbox/` there). */
  dataDir: string;
  logFile: string;
  /** Scratch directory of the run: every server log, the secrets and responses the suite recorded. */
  runDir: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    tsbin: RunInfo;
  }
}

/** The run's server and database, as provided by the global setup. */
export function runInfo(): RunInfo {
  return inject("tsbin");
}

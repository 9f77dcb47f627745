import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createRunDatabase } from "./database.ts";
import "./run-info.ts";
import { startTsbin } from "./server-process.ts";

/**
 * One server for the whole run, on a database created for it: the production bundle, spawned as a
 * real process and reached over real sockets. Torn down (and the database dropped) at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = await mkdtemp(path.join(tmpdir(), "tsbin-security-"));
  const database = await createRunDatabase();
  process.stdout.write(`security suite: database: ${database.note}\n`);
  process.stdout.write(`security suite: run directory ${runDir}\n`);
  const server = await startTsbin({ name: "main", runDir, databaseUrl: database.url });
  process.stdout.write(`security suite: tsbin (pid ${server.pid}) at ${server.baseUrl}, logs in ${server.logFile}\n`);
  project.provide("tsbin", {
    baseUrl: server.baseUrl,
    port: server.port,
    pid: server.pid,
    dbUrl: database.url,
    dbKind: database.kind,
    dbNote: database.note,
    dataDir: server.dataDir,
    logFile: server.logFile,
    runDir,
  });
  return async () => {
    await server.stop();
    await database.drop();
    if (process.env["SECURITY_KEEP_RUN"] !== "1") await rm(runDir, { recursive: true, force: true });
  };
}

import { createDb } from "@tsbin/db";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));

interface Started {
  child: ChildProcess;
  port: number;
}

/** Runs the real entry point, as `pnpm start` does but from source, and waits for "ready". */
function startServer(vars: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: API_DIR,
    env: { ...process.env, DATABASE_URL: "", PORT: "0", HOST: "127.0.0.1", ...vars },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(out);
      if (ready?.[1]) resolve({ child, port: Number(ready[1]) });
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

function stopServer(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

/** Runs the entry point expecting it to fail, and returns its exit code and standard error. */
function runToFailure(vars: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: API_DIR,
    env: { ...process.env, PORT: "0", ...vars },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "tsbin-start-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("starting the server", () => {
  it("serves /healthz on the embedded database, and keeps the data across a restart", async () => {
    const first = await startServer({ DATA_DIR: dataDir });
    const health = await fetch(`http://127.0.0.1:${first.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect(await stopServer(first.child)).toBe(0);

    const pgliteDir = path.join(dataDir, "pglite");
    const offline = await createDb({ dataDir: pgliteDir });
    await offline.query("insert into users (password, username, username_key) values ('!x', 'kept', 'kept')");
    await offline.close();

    const second = await startServer({ DATA_DIR: dataDir });
    expect((await fetch(`http://127.0.0.1:${second.port}/healthz`)).status).toBe(200);
    expect(await stopServer(second.child)).toBe(0);

    const reopened = await createDb({ dataDir: pgliteDir });
    const rows = await reopened.query<{ username: string }>("select username from users");
    const languages = await reopened.query<{ n: number }>("select count(*)::int as n from languages");
    await reopened.close();
    expect(rows.map((r) => r.username)).toEqual(["kept"]);
    expect(languages[0]?.n).toBeGreaterThanOrEqual(20);
  });

  it("refuses a second server on the same embedded database, and starts again after the first was killed", async () => {
    const first = await startServer({ DATA_DIR: dataDir });
    const second = await runToFailure({ DATABASE_URL: "", DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `tsbin: the embedded database in ${path.join(dataDir, "pglite")} is in use by another process ` +
        `(pid ${first.child.pid}); stop it first, or use a PostgreSQL server (DATABASE_URL)\n`,
    );
    expect((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(200);

    // A crash leaves the lock behind; the next start finds its process gone and takes the directory.
    await new Promise((resolve) => {
      first.child.on("exit", resolve);
      first.child.kill("SIGKILL");
    });
    const restarted = await startServer({ DATA_DIR: dataDir });
    expect((await fetch(`http://127.0.0.1:${restarted.port}/healthz`)).status).toBe(200);
    expect(await stopServer(restarted.child)).toBe(0);
  });

  it("exits non-zero with one clear line, and no stack trace, on a bad DATABASE_URL", async () => {
    const { code, stderr } = await runToFailure({ DATABASE_URL: "not-a-url" });
    expect(code).not.toBe(0);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^tsbin: configuration error: DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it("exits non-zero with one line when the database server does not answer", async () => {
    const { code, stderr } = await runToFailure({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(code).not.toBe(0);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^tsbin: cannot open the PostgreSQL server at DATABASE_URL: .*ECONNREFUSED/);
  });
});

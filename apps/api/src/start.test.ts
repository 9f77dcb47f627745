import { createDb } from "@tsbin/db";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runServerToExit, startServer, stopServer } from "./testing-processes.ts";

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
    const second = await runServerToExit({ DATABASE_URL: "", DATA_DIR: dataDir });
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
    const { code, stderr } = await runServerToExit({ DATABASE_URL: "not-a-url" });
    expect(code).not.toBe(0);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^tsbin: configuration error: DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it("exits non-zero with one line when the database server does not answer", async () => {
    const { code, stderr } = await runServerToExit({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(code).not.toBe(0);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^tsbin: cannot open the PostgreSQL server at DATABASE_URL: .*ECONNREFUSED/);
  });
});

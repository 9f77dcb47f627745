import { createDb } from "@tsbin/db";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitOf, runServerToExit, startServer, startUnfinishedRequest, stopServer } from "./testing-processes.ts";

/** The uid of `nobody`, for what root may do but a service user may not. */
const NOBODY = 65534;

/**
 * A TCP server that accepts connections and closes each once it has read the client's first bytes,
 * never speaking PostgreSQL (as a firewall or a proxy with nothing behind it may).
 */
async function closingServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.on("error", () => undefined);
    socket.once("data", () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `postgres://postgres:S3cretPw@127.0.0.1:${port}/x`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
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

  it("gives up in one line naming DATABASE_URL when the database server never answers", async () => {
    const silent = await closingServer();
    try {
      const started = Date.now();
      const { code, stderr } = await runServerToExit({ DATABASE_URL: silent.url });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /^tsbin: cannot open the PostgreSQL server at DATABASE_URL: could not reach 127\.0\.0\.1:\d+ within 10 s .*\n$/,
      );
      expect(stderr).not.toContain("S3cretPw");
    } finally {
      await silent.close();
    }
  }, 30_000);

  it("refuses an unknown argument in one line that names it", async () => {
    const { code, stderr } = await runServerToExit({ DATA_DIR: dataDir }, { args: ["--worker", "2"] });
    expect(code).toBe(1);
    expect(stderr).toBe('tsbin: unknown argument "--worker" (the server accepts only --workers N)\n');
  });

  it("says the embedded database's directory is not writable, when it is not", async () => {
    const shared = await mkdtemp(path.join(tmpdir(), "tsbin-readonly-"));
    try {
      await chmod(shared, 0o777);
      await mkdir(path.join(shared, "pglite"), { mode: 0o555 });
      await chmod(path.join(shared, "pglite"), 0o555);
      const { code, stderr } = await runServerToExit({ DATABASE_URL: "", DATA_DIR: shared }, { uid: NOBODY });
      expect(code).toBe(1);
      expect(stderr).toBe(
        `tsbin: cannot open the embedded database in ${shared}: ${path.join(shared, "pglite")} is not writable\n`,
      );
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });

  it("says which directory is not writable when the embedded database's is yet to be made", async () => {
    const shared = await mkdtemp(path.join(tmpdir(), "tsbin-readonly-"));
    try {
      await chmod(shared, 0o555);
      const { code, stderr } = await runServerToExit({ DATABASE_URL: "", DATA_DIR: shared }, { uid: NOBODY });
      expect(code).toBe(1);
      expect(stderr).toBe(`tsbin: cannot open the embedded database in ${shared}: ${shared} is not writable\n`);
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });
});

describe("stopping the server", () => {
  it("lets a request in flight run for the grace period, then closes it and exits 0", async () => {
    const server = await startServer({ DATA_DIR: dataDir });
    const client = await startUnfinishedRequest(server.port);
    const exited = exitOf(server.child);
    server.child.kill("SIGTERM");
    // No longer accepting: a new connection is refused at once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
    const { code, ms } = await exited;
    client.destroy();
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(9_000);
    expect(ms).toBeLessThan(15_000);
  }, 30_000);

  it("exits at once on a second signal, releasing the embedded database", async () => {
    const server = await startServer({ DATA_DIR: dataDir });
    const client = await startUnfinishedRequest(server.port);
    const exited = exitOf(server.child);
    server.child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.child.kill("SIGINT");
    const { code, ms } = await exited;
    client.destroy();
    expect(code).toBe(130);
    expect(ms).toBeLessThan(3_000);
    // The lock file went with it: the next server starts at once.
    const next = await startServer({ DATA_DIR: dataDir });
    expect(await stopServer(next.child)).toBe(0);
  }, 30_000);
});

import { createTestDb, testDatabaseServerUrl, type TestDb } from "@tsbin/db/testing";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { exitOf, freePort, startUnfinishedRequest } from "./testing-processes.ts";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  base: string;
}

/** Starts the real entry point with its own environment and waits for its "ready" line. */
async function start(env: Record<string, string>, args: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts", ...args], {
    cwd: API_DIR,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(await freePort()), LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (ready?.[1]) resolve({ child, base: ready[1] });
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`exited with ${code}: ${err.trim()}`)));
  });
}

afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
});

async function call(
  base: string,
  procedure: string,
  input: unknown,
  cookie = "",
): Promise<{ status: number; cookie: string; body: unknown }> {
  const res = await fetch(`${base}/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ json: input }),
  });
  const setCookie = res.headers.get("set-cookie")?.split(";")[0] ?? "";
  return { status: res.status, cookie: setCookie, body: await res.json() };
}

async function me(base: string, cookie: string): Promise<{ isAuthenticated: boolean; username: string }> {
  const res = await fetch(`${base}/trpc/auth.me`, { headers: { cookie } });
  const body = (await res.json()) as { result: { data: { json: { isAuthenticated: boolean; username: string } } } };
  return body.result.data.json;
}

const serverUrl = testDatabaseServerUrl();

describe("several API processes", () => {
  if (!serverUrl) {
    it("refuses --workers on the embedded database, which one process owns", async () => {
      await expect(
        start({ DATABASE_URL: "", DATA_DIR: "/tmp/tsbin-workers-refused" }, ["--workers", "2"]),
      ).rejects.toThrow(
        "tsbin: --workers needs DATABASE_URL: the embedded database can be opened by one process only.",
      );
    });
    return;
  }

  let db: TestDb;
  afterAll(async () => {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await db.close();
  });

  it("share sessions and rate limits through PostgreSQL", async () => {
    db = await createTestDb();
    const url = db.url ?? "";
    const [a, b] = await Promise.all([start({ DATABASE_URL: url }), start({ DATABASE_URL: url })]);
    if (!a || !b) throw new Error("servers did not start");

    const signup = await call(a.base, "auth.signup", {
      username: "multi",
      email: "multi@example.com",
      password: "shared passphrase",
    });
    expect(signup.status).toBe(200);
    expect(await me(b.base, signup.cookie)).toMatchObject({ isAuthenticated: true, username: "multi" });

    expect((await call(b.base, "auth.logout", {}, signup.cookie)).status).toBe(200);
    expect((await me(a.base, signup.cookie)).isAuthenticated).toBe(false);

    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const base = i % 2 === 0 ? a.base : b.base;
      statuses.push((await call(base, "auth.login", { username: "multi", password: `wrong ${i}` })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("serve with --workers 2 on one port", async () => {
    const started = await start({ DATABASE_URL: db.url ?? "" }, ["--workers", "2"]);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => fetch(`${started.base}/healthz`).then((r) => r.status)),
    );
    expect(answers).toEqual(Array.from({ length: 10 }, () => 200));
  });

  it("with --workers, exit 1 when a worker cannot start (the port is taken)", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts", "--workers", "2"], {
        cwd: API_DIR,
        env: { ...process.env, DATABASE_URL: db.url ?? "", HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "fatal" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const { code } = await exitOf(child);
      expect(stderr).toContain("EADDRINUSE");
      expect(code).toBe(1);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 60_000);

  it("with --workers, exit 1 when the port is taken, however long the workers took to start", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as net.AddressInfo;
    const slowStart = fileURLToPath(new URL("../test/fixtures/slow-worker-start.mjs", import.meta.url));
    try {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--import", slowStart, "src/index.ts", "--workers", "2"],
        {
          cwd: API_DIR,
          env: {
            ...process.env,
            DATABASE_URL: db.url ?? "",
            HOST: "127.0.0.1",
            PORT: String(port),
            LOG_LEVEL: "fatal",
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      children.push(child);
      // Restarting the workers instead would go on until this test's own time runs out.
      const giveUp = setTimeout(() => child.kill("SIGKILL"), 45_000);
      const { code } = await exitOf(child);
      clearTimeout(giveUp);
      expect(code).toBe(1);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 60_000);

  it("with --workers, stop at once on a second signal while a request hangs", async () => {
    const started = await start({ DATABASE_URL: db.url ?? "" }, ["--workers", "2"]);
    const port = Number(new URL(started.base).port);
    const clients = await Promise.all([startUnfinishedRequest(port), startUnfinishedRequest(port)]);
    const exited = exitOf(started.child);
    started.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    started.child.kill("SIGTERM");
    const { code, ms } = await exited;
    for (const client of clients) client.destroy();
    expect(code).toBe(143);
    expect(ms).toBeLessThan(3_000);
    // The workers went too: nothing answers on the port.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(fetch(`${started.base}/healthz`)).rejects.toThrow();
  }, 60_000);

  it("with --workers, let hanging requests run for the grace period after one signal, then exit 0", async () => {
    const started = await start({ DATABASE_URL: db.url ?? "" }, ["--workers", "2"]);
    const port = Number(new URL(started.base).port);
    const client = await startUnfinishedRequest(port);
    const exited = exitOf(started.child);
    started.child.kill("SIGTERM");
    const { code, ms } = await exited;
    client.destroy();
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(9_000);
    expect(ms).toBeLessThan(20_000);
  }, 60_000);
});

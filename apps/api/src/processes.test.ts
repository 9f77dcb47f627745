import { createTestDb, testDatabaseServerUrl, type TestDb } from "@tsbin/db/testing";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  base: string;
}

/** Starts the real entry point with its own environment and waits for its "ready" line. */
function start(env: Record<string, string>, args: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts", ...args], {
    cwd: API_DIR,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
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
});

import { createDb } from "@tsbin/db";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const API_DIR = fileURLToPath(new URL("../..", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `pnpm manage …` the way a person would (through tsx, as the package script does). */
function manage(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/manage.ts", ...args], {
    cwd: API_DIR,
    env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

/** Starts the server as `pnpm start` does (from source) and resolves with it once it is ready. */
function startServer(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: API_DIR,
    env: { ...process.env, DATABASE_URL: "", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("tsbin is ready")) resolve(child);
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

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "tsbin-manage-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("pnpm manage", () => {
  it("createsuperuser --no-input creates the user once, then refuses the same name with one line", async () => {
    const env = { DATA_DIR: dataDir, TSBIN_SUPERUSER_PASSWORD: "a long admin passphrase" };
    const args = ["createsuperuser", "--no-input", "--username", "admin", "--email", "admin@example.com"];
    const first = await manage(args, env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Superuser "admin" created successfully.');

    const again = await manage(args, env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("manage: A user with that username already exists.\n");
  });

  it("createsuperuser --no-input without the password says what to set", async () => {
    const run = await manage(["createsuperuser", "--no-input", "--username", "x", "--email", ""], {
      DATA_DIR: dataDir,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("manage: Set TSBIN_SUPERUSER_PASSWORD to the password when using --no-input.\n");
  });

  it("createsuperuser is refused in one line, and writes nothing, while the server has the embedded database", async () => {
    const served = path.join(dataDir, "served");
    const server = await startServer({ DATA_DIR: served });
    let run: Run;
    try {
      run = await manage(["createsuperuser", "--no-input", "--username", "root", "--email", "root@example.com"], {
        DATA_DIR: served,
        TSBIN_SUPERUSER_PASSWORD: "a long admin passphrase",
      });
    } finally {
      expect(await stopServer(server)).toBe(0);
    }
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `manage: the embedded database in ${path.join(served, "pglite")} is in use by another process ` +
        `(pid ${server.pid}); stop it first, or use a PostgreSQL server (DATABASE_URL)\n`,
    );

    const database = await createDb({ dataDir: path.join(served, "pglite") });
    const users = await database.query("select username from users");
    await database.close();
    expect(users).toEqual([]);
  });

  it("reports a bad configuration in one line", async () => {
    const run = await manage(["clearsessions"], { DATABASE_URL: "not-a-url" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^manage: configuration error: DATABASE_URL: .*\n$/);
  });
});

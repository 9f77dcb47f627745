import { createDb } from "@tsbin/db";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runManage, startServer, stopServer, type Finished } from "../testing-processes.ts";

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
    const first = await runManage(args, env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Superuser "admin" created successfully.');

    const again = await runManage(args, env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("manage: A user with that username already exists.\n");
  });

  it("createsuperuser --no-input without the password says what to set", async () => {
    const run = await runManage(["createsuperuser", "--no-input", "--username", "x", "--email", ""], {
      DATA_DIR: dataDir,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("manage: Set TSBIN_SUPERUSER_PASSWORD to the password when using --no-input.\n");
  });

  it("createsuperuser is refused in one line, and writes nothing, while the server has the embedded database", async () => {
    const served = path.join(dataDir, "served");
    const server = await startServer({ DATA_DIR: served });
    let run: Finished;
    try {
      run = await runManage(["createsuperuser", "--no-input", "--username", "root", "--email", "root@example.com"], {
        DATA_DIR: served,
        TSBIN_SUPERUSER_PASSWORD: "a long admin passphrase",
      });
    } finally {
      expect(await stopServer(server.child)).toBe(0);
    }
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `manage: the embedded database in ${path.join(served, "pglite")} is in use by another process ` +
        `(pid ${server.child.pid}); stop it first, or use a PostgreSQL server (DATABASE_URL)\n`,
    );

    const database = await createDb({ dataDir: path.join(served, "pglite") });
    const users = await database.query("select username from users");
    await database.close();
    expect(users).toEqual([]);
  });

  it("reports a bad configuration in one line", async () => {
    const run = await runManage(["clearsessions"], { DATABASE_URL: "not-a-url" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^manage: configuration error: DATABASE_URL: .*\n$/);
  });
});

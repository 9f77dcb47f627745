import { createDb } from "@tsbin/db";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runManage, startServer, stopServer, type Finished } from "../testing-processes.ts";

const API_DIR = fileURLToPath(new URL("../..", import.meta.url));
// util-linux's script(1) (Debian's essential bsdutils) gives a command a terminal of its own.

/** `pnpm manage createsuperuser` in a terminal: presses Ctrl-C at the first prompt and resolves with what it printed and its exit code. */
function interruptFirstPrompt(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const command = `'${process.execPath}' --import tsx src/cli/manage.ts createsuperuser`;
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    cwd: API_DIR,
    env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "silent", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let pressed = false;
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    if (pressed || !output.includes("Username:")) return;
    pressed = true;
    // The prompt is drawn a moment before it switches the terminal to raw mode; a Ctrl-C before
    // that would be the terminal's SIGINT rather than a key press the prompt handles.
    setTimeout(() => child.stdin.write("\u0003"), PROMPT_SETTLE_MS);
  };
  // The key press may find the command already gone when it failed before the prompt; the test then says why.
  child.stdin.on("error", () => undefined);
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

const PROMPT_SETTLE_MS = 500;

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

  it("createsuperuser without --no-input refuses in one line when there is no terminal to ask at", async () => {
    const run = await runManage(["createsuperuser", "--username", "nobody", "--email", ""], { DATA_DIR: dataDir });
    expect(run.stderr).toBe(
      "manage: createsuperuser needs a terminal to ask for the password; " +
        "use --no-input with --username, --email and TSBIN_SUPERUSER_PASSWORD\n",
    );
    expect(run.code).toBe(1);
  });

  it("createsuperuser asks at a terminal, and Ctrl-C there ends it quietly", async () => {
    const run = await interruptFirstPrompt({ DATA_DIR: dataDir });
    expect(run.output).toContain("Username:");
    expect(run.output).not.toContain("manage:");
    expect(run.code).toBe(1);
  });

  it("import-django-users skips a record it cannot store in one line, never printing the hash, and imports the rest", async () => {
    const hash = "pbkdf2_sha256$260000$someSalt$c2VjcmV0IGhhc2ggdGhhdCBtdXN0IG5vdCBsZWFr";
    const dump = path.join(dataDir, "dump.json");
    const fields = { password: hash, first_name: "", last_name: "", is_active: true };
    await writeFile(
      dump,
      JSON.stringify([
        { model: "auth.user", pk: 1, fields: { ...fields, username: "u1", email: `${"a".repeat(300)}@example.com` } },
        { model: "auth.user", pk: 2, fields: { ...fields, username: "u2", last_login: "not a date" } },
        { model: "auth.user", pk: 3, fields: { ...fields, username: "u3", email: "u3@example.com" } },
      ]),
    );
    const run = await runManage(["import-django-users", dump], { DATA_DIR: dataDir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "Imported 1 user(s) and 0 group(s).\n" +
        "Skipped u1: email is longer than 254 characters.\n" +
        "Skipped u2: last_login is not a date.\n",
    );
  });

  it("reports a bad configuration in one line", async () => {
    const run = await runManage(["clearsessions"], { DATABASE_URL: "not-a-url" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^manage: configuration error: DATABASE_URL: .*\n$/);
  });
});

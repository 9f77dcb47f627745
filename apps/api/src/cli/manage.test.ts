import { createDb } from "@tsbin/db";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
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

/**
 * `pnpm manage createsuperuser <args>` in a terminal: answers each prompt in `answers` once it is
 * shown ("\r" ends a line), then presses Ctrl-C, and resolves with what it printed and its exit code.
 */
function answerPrompts(
  args: string,
  answers: readonly [prompt: string, answer: string][],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const command = `'${process.execPath}' --import tsx src/cli/manage.ts createsuperuser ${args}`;
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    cwd: API_DIR,
    env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "silent", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let step = 0;
  let searchFrom = 0;
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    const next = answers[step];
    if (next === undefined || !output.includes(next[0], searchFrom)) return;
    searchFrom = output.length;
    step += 1;
    setTimeout(() => child.stdin.write(next[1]), PROMPT_SETTLE_MS);
  };
  // A prompt that never comes must not keep the command, and the embedded database, for the next test.
  const stuck = setTimeout(() => child.kill("SIGTERM"), STUCK_PROMPT_MS);
  child.stdin.on("error", () => undefined);
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(stuck);
      resolve({ code, output });
    }),
  );
}

const STUCK_PROMPT_MS = 30_000;

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

  it("createsuperuser refuses a taken --username before asking anything", async () => {
    const env = { DATA_DIR: dataDir, TSBIN_SUPERUSER_PASSWORD: "a long admin passphrase" };
    await runManage(["createsuperuser", "--no-input", "--username", "carol", "--email", "carol@example.com"], env);
    const run = await answerPrompts("--username carol", [], { DATA_DIR: dataDir });
    expect(run.output).toContain("Error: That username is already taken.");
    expect(run.output).not.toContain("Email address:");
    expect(run.code).toBe(1);
  });

  it("createsuperuser asks again for an email address another user has", async () => {
    const env = { DATA_DIR: dataDir, TSBIN_SUPERUSER_PASSWORD: "a long admin passphrase" };
    await runManage(["createsuperuser", "--no-input", "--username", "erin", "--email", "erin@example.com"], env);
    const run = await answerPrompts(
      "--username dave",
      [
        ["Email address:", "erin@example.com\r"],
        ["A user with that email address already exists.", "\u0003"],
      ],
      { DATA_DIR: dataDir },
    );
    expect(run.output).toContain("A user with that email address already exists.");
    expect(run.output).not.toContain("Password:");
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
    expect(run.stdout).toBe("Imported 1 user(s) and 0 group(s).\n");
    expect(run.stderr).toBe(
      "Skipped u1: email is longer than 254 characters.\nSkipped u2: last_login is not a date.\n",
    );
    expect(run.code).toBe(1);
  });

  it("import-django-users exits 0 when every record is in, even with a warning about hashers", async () => {
    const dump = path.join(dataDir, "all-in.json");
    await writeFile(
      dump,
      JSON.stringify([
        {
          model: "auth.user",
          pk: 1,
          fields: { username: "allin", password: "md5$salt$0123456789abcdef0123456789abcdef" },
        },
      ]),
    );
    const run = await runManage(["import-django-users", dump], { DATA_DIR: dataDir });
    expect(run.stdout).toBe("Imported 1 user(s) and 0 group(s).\n");
    expect(run.stderr).toMatch(/^Warning: 1 imported user\(s\) cannot log in yet/);
    expect(run.code).toBe(0);
  });

  it("import-django-users says in one line that a file is not JSON", async () => {
    const file = path.join(dataDir, "notjson.txt");
    await writeFile(file, "not json at all\n");
    const run = await runManage(["import-django-users", file], { DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^manage: cannot read .*notjson\.txt: [^\n]*\n$/);
  });

  it("migrate says when there was nothing to apply", async () => {
    const fresh = path.join(dataDir, "fresh");
    const first = await runManage(["migrate"], { DATA_DIR: fresh });
    expect(first.stdout).toMatch(/^Applied \d+ migration\(s\) to the embedded database in .*\n$/);
    const again = await runManage(["migrate"], { DATA_DIR: fresh });
    expect(again.stdout).toBe("No migrations to apply.\n");
    expect(again.code).toBe(0);
  });

  it("migrate explains a DATA_DIR it cannot use as the server does", async () => {
    const file = path.join(dataDir, "a-file");
    await writeFile(file, "");
    const run = await runManage(["migrate"], { DATA_DIR: file });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^manage: cannot open the embedded database in ${file}: ENOTDIR: .*\n$`));
  });

  it("migrate gives up in one line naming DATABASE_URL when the database server never answers", async () => {
    const server = net.createServer((socket) => {
      socket.on("error", () => undefined);
      socket.once("data", () => socket.end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const started = Date.now();
      const run = await runManage(["migrate"], { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x` });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^manage: cannot open the PostgreSQL server at DATABASE_URL: could not reach 127\.0\.0\.1:\d+ within 10 s .*\n$/,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);

  it("reports a usage error in one line", async () => {
    for (const args of [["migrate", "--fake"], ["changepassword"], ["bogus"]]) {
      const run = await runManage(args, {});
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr, args.join(" ")).toMatch(/^manage: [^\n]+ \(pnpm manage --help lists the commands\)\n$/);
    }
  });

  it("reports a bad configuration in one line", async () => {
    const run = await runManage(["clearsessions"], { DATABASE_URL: "not-a-url" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^manage: configuration error: DATABASE_URL: .*\n$/);
  });
});

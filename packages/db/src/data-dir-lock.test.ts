import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, DataDirInUseError } from "./index.ts";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Opens the database in `argv[1]` and keeps it open until killed. */
const HOLDER = `
import { createDb } from "./src/index.ts";
await createDb({ dataDir: process.argv[1] });
process.stdout.write("open\\n");
setInterval(() => undefined, 60_000);
`;

let root: string;
let dataDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "tsbin-lock-"));
  dataDir = path.join(root, "pglite");
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await rm(root, { recursive: true, force: true });
});

/** Another process with the database open, as a running server would have it. */
function holdInAnotherProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", HOLDER, dataDir], {
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = "";
    child.stdout.on("data", () => resolve(child));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`the holder exited with ${code}: ${err}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("the lock on an embedded data directory", () => {
  it("refuses a second open in the same process, and lets it in again after close", async () => {
    const first = await createDb({ dataDir });
    await first.query("create table kept (n int)");
    await first.query("insert into kept values (1)");

    const second = createDb({ dataDir });
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(second).rejects.toThrow(
      `the embedded database in ${dataDir} is already open in this process (pid ${process.pid}); close it first`,
    );
    await first.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    const reopened = await createDb({ dataDir });
    const rows = await reopened.query<{ n: number }>("select n from kept");
    await reopened.close();
    expect(rows).toEqual([{ n: 1 }]);
  });

  it("refuses an open while another process has the directory, naming that process", async () => {
    const holder = await holdInAnotherProcess();

    await expect(createDb({ dataDir })).rejects.toThrow(
      `the embedded database in ${dataDir} is in use by another process (pid ${holder.pid}); ` +
        "stop it first, or use a PostgreSQL server (DATABASE_URL)",
    );
  });

  it("takes over the lock of a process that was killed with the directory open", async () => {
    const holder = await holdInAnotherProcess();
    await killed(holder);
    expect((await readFile(`${dataDir}.lock`, "utf8")).split(" ")[0]).toBe(String(holder.pid));

    const handle = await createDb({ dataDir });
    expect((await readFile(`${dataDir}.lock`, "utf8")).split(" ")[0]).toBe(String(process.pid));
    await handle.ping();
    await handle.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it("takes over a lock whose pid now belongs to another process, which started later", async () => {
    const holder = await holdInAnotherProcess();
    await killed(holder);
    const [, startTime] = (await readFile(`${dataDir}.lock`, "utf8")).trim().split(" ");
    expect(startTime).toMatch(/^\d+$/);
    // The crashed holder's pid given to a process alive now: this test's parent, started at another time.
    await writeFile(`${dataDir}.lock`, `${process.ppid} ${startTime}\n`);

    const handle = await createDb({ dataDir });
    await handle.close();
  });
});

/** The server and `pnpm manage` as child processes, run from source as `pnpm start` and `pnpm manage` run them. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface StartedServer {
  child: ChildProcess;
  port: number;
}

function run(script: string, args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: API_DIR,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function finished(child: ChildProcess): Promise<Finished> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

/** `pnpm manage …` with nothing to read on stdin (a prompt, if one is shown, gets no answer), on the embedded database unless `env` says otherwise. */
export function runManage(args: readonly string[], env: Record<string, string>): Promise<Finished> {
  return finished(run("src/cli/manage.ts", args, { DATABASE_URL: "", LOG_LEVEL: "silent", ...env }));
}

/** The server's entry point, run to its end: for start-ups that are meant to fail. */
export function runServerToExit(env: Record<string, string>): Promise<Finished> {
  return finished(run("src/index.ts", [], { PORT: "0", ...env }));
}

/** The server on the embedded database unless `env` says otherwise, once it has logged the address it listens on. */
export function startServer(env: Record<string, string>): Promise<StartedServer> {
  // Readiness is read from the start-up log line, so it must be logged.
  const child = run("src/index.ts", [], { DATABASE_URL: "", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(out);
      if (ready?.[1]) resolve({ child, port: Number(ready[1]) });
    });
    child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

/** Stops a server with SIGTERM, as Ctrl-C or a process manager would, and resolves with its exit code. */
export function stopServer(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

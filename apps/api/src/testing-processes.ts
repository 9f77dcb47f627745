/** The server and `pnpm manage` as child processes, run from source as `pnpm start` and `pnpm manage` run them. */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
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

/** A TCP port free on 127.0.0.1 a moment ago (PORT=0 is refused); the kernel picks it, so a clash is unlikely. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RunOptions {
  args?: readonly string[];
  /** Run as this user id (the tests run as root, which may write anywhere). */
  uid?: number;
}

function run(script: string, env: Record<string, string>, options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script, ...(options.args ?? [])], {
    cwd: API_DIR,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
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
export function runManage(
  args: readonly string[],
  env: Record<string, string>,
  options: RunOptions = {},
): Promise<Finished> {
  return finished(run("src/cli/manage.ts", { DATABASE_URL: "", LOG_LEVEL: "silent", ...env }, { ...options, args }));
}

/** The server's entry point, run to its end: for start-ups that are meant to fail. */
export async function runServerToExit(env: Record<string, string>, options: RunOptions = {}): Promise<Finished> {
  return finished(run("src/index.ts", { PORT: String(await freePort()), ...env }, options));
}

/** The server on the embedded database unless `env` says otherwise, once it has logged the address it listens on. */
export async function startServer(env: Record<string, string>, options: RunOptions = {}): Promise<StartedServer> {
  // Readiness is read from the start-up log line, so it must be logged.
  const child = run(
    "src/index.ts",
    { DATABASE_URL: "", PORT: String(await freePort()), HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    options,
  );
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

/** Resolves with the exit code and how long after the call the process took to exit. */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, ms: Date.now() - started })));
}

/**
 * Opens a connection and starts a request that never ends: a POST that announces 100 bytes and
 * sends 8. Resolves once the server has read that much.
 */
export async function startUnfinishedRequest(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => undefined);
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(
    "POST /trpc/auth.login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
      'Content-Length: 100\r\n\r\n{"json":',
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  return socket;
}

import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { API_ENTRY, REPO_ROOT } from "./paths.ts";

/** A free TCP port on 127.0.0.1 (the kernel picks it; a tiny race is acceptable for tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface TsbinOptions {
  /** Names the log file and data dir, e.g. "main" or "https". */
  name: string;
  /** The run's scratch directory: logs and data dirs go below it. */
  runDir: string;
  /** A postgres:// URL, or "" for the embedded PGlite. */
  databaseUrl: string;
  /** Reuse a port (restarts after kill -9); a free one by default. */
  port?: number;
  /** Extra environment (PUBLIC_URL, EMAIL_BACKEND, ...). */
  env?: Record<string, string>;
  /** How long to wait for /healthz to answer 200. */
  readyTimeoutMs?: number;
}

export interface TsbinProcess {
  readonly name: string;
  readonly port: number;
  readonly baseUrl: string;
  readonly pid: number;
  readonly logFile: string;
  readonly dataDir: string;
  /** Milliseconds from spawn to the first 200 from /healthz. */
  readonly readyMs: number;
  /** Resolves with the exit code (or null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL: the crash of F5. */
  kill9(): Promise<void>;
  /** Resident set size in bytes, from /proc. */
  rssBytes(): number;
}

/** GET /healthz once; the status, or 0 when nothing answers. */
export function healthStatus(port: number, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/healthz", agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(0));
  });
}

/** Resident set size of a process in bytes, from /proc (0 once it is gone). */
export function rssOf(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+)\s+kB/u.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib === undefined ? 0 : Number(kib) * 1024;
  } catch {
    return 0;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Spawns `node apps/api/dist/index.js` with HOST=127.0.0.1, its own DATA_DIR, the file email backend and
 * LOG_LEVEL=info, stdout and stderr appended to `<runDir>/<name>.log`, and waits for /healthz.
 */
export async function startTsbin(options: TsbinOptions): Promise<TsbinProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = path.join(options.runDir, `data-${options.name}`);
  await mkdir(dataDir, { recursive: true });
  const logFile = path.join(options.runDir, `${options.name}.log`);
  const logFd = openSync(logFile, "a");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: process.env["HOME"] ?? "/root",
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: dataDir,
    EMAIL_BACKEND: "file",
    LOG_LEVEL: "info",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: options.databaseUrl,
    ...options.env,
  };
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [API_ENTRY], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", logFd, logFd],
  });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`tsbin (${options.name}) did not start`);

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (!running) {
      throw new Error(
        `tsbin (${options.name}) exited before it was ready:\n${readFileSync(logFile, "utf8").slice(-2000)}`,
      );
    }
    if ((await healthStatus(port, 1_000)) === 200) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`tsbin (${options.name}) was not ready in time:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
    }
    await sleep(50);
  }
  const readyMs = performance.now() - started;

  async function waitExit(ms: number): Promise<boolean> {
    const timer = sleep(ms).then(() => false);
    return Promise.race([exited.then(() => true), timer]);
  }

  return {
    name: options.name,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    pid,
    logFile,
    dataDir,
    readyMs,
    exited,
    isRunning: () => running,
    async stop() {
      if (!running) return;
      child.kill("SIGTERM");
      if (!(await waitExit(5_000))) {
        child.kill("SIGKILL");
        await exited;
      }
    },
    async kill9() {
      if (!running) return;
      child.kill("SIGKILL");
      await exited;
    },
    rssBytes: () => rssOf(pid),
  };
}

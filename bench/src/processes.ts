/**
 * Child processes of the benchmark: the API and the floor servers. Every process is tracked and
 * killed when the runner exits, however it exits; every wait is bounded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly logFile: string;
  /** The server processes: the process itself, or its node:cluster workers (and the primary). */
  readonly pids: readonly number[];
}

const running = new Set<ChildProcess>();
const workerPids = new Set<number>();

/** Kills every process the benchmark started (also done when it exits). */
export function killAll(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  for (const pid of workerPids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
process.on("exit", killAll);

export interface StartOptions {
  name: string;
  /** Node arguments before the script (e.g. `--import tsx`, `--cpu-prof`). */
  nodeArgs: readonly string[];
  script: string;
  env: NodeJS.ProcessEnv;
  port: number;
  /** Path answered with 200 once the process is ready. */
  readyPath: string;
  /** Node:cluster workers the process forks (0: it serves by itself). */
  workers?: number;
  args?: readonly string[];
  logFile: string;
  cwd: string;
  readyTimeoutMs?: number;
}

/** Spawns `node <nodeArgs> <script>` with stdout and stderr into `logFile` and waits until it answers. */
export async function startNode(options: StartOptions): Promise<Started> {
  const fd = openSync(options.logFile, "a");
  const child = spawn(process.execPath, [...options.nodeArgs, options.script, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (child.pid === undefined) throw new Error(`${options.name}: could not be started`);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  const url = `http://127.0.0.1:${options.port}${options.readyPath}`;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.name} exited during start-up:\n${tail(options.logFile)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) {
        const workers = await settledWorkers(child.pid, options.workers ?? 0, deadline);
        workers.forEach((pid) => workerPids.add(pid));
        const pids = [child.pid, ...workers];
        return { name: options.name, child, pid: child.pid, port: options.port, logFile: options.logFile, pids };
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error(`${options.name} did not answer ${url} within the start-up timeout:\n${tail(options.logFile)}`);
}

/** Pids of the processes whose parent is `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return children;
}

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return -1;
  }
}

/**
 * Waits until `count` cluster workers exist and have finished starting. A worker that listens
 * says nothing when LOG_LEVEL is above info, and the port answers as soon as the first one listens;
 * so a worker counts as started once its CPU time has stayed flat (idle, waiting for connections)
 * for half a second, at least a second after it appeared.
 */
async function settledWorkers(pid: number, count: number, deadline: number): Promise<number[]> {
  if (count === 0) return [];
  const firstSeen = new Map<number, number>();
  const lastTicks = new Map<number, { ticks: number; since: number }>();
  while (Date.now() < deadline) {
    const now = Date.now();
    const workers = childPids(pid);
    let settled = 0;
    for (const worker of workers) {
      if (!firstSeen.has(worker)) firstSeen.set(worker, now);
      const ticks = cpuTicks(worker);
      const last = lastTicks.get(worker);
      if (!last || last.ticks !== ticks) lastTicks.set(worker, { ticks, since: now });
      else if (now - last.since >= 500 && now - (firstSeen.get(worker) ?? now) >= 1000) settled += 1;
    }
    if (workers.length >= count && settled >= count) return workers;
    await sleep(100);
  }
  throw new Error(`the ${count} workers of process ${pid} did not finish starting in time`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stop(started: Started, graceMs = 8000): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The first `base + k*count` such that `count` consecutive ports from it are free on 127.0.0.1. */
export async function freePorts(base: number, count: number): Promise<number[]> {
  for (let start = base; start < base + 2000; start += count) {
    const ports = Array.from({ length: count }, (_, i) => start + i);
    const free = await Promise.all(ports.map(portFree));
    if (free.every(Boolean)) return ports;
  }
  throw new Error(`no ${count} consecutive free ports found from ${base}`);
}

/** Runs a command to completion (bounded by `timeoutMs`); rejects with its output on failure. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve(output);
      else
        reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output.slice(-4000)}`));
    });
  });
}

/** What the figures were measured on: the machine, the versions, the load already on it. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";
import path from "node:path";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  let model = cpus()[0]?.model?.trim() ?? "unknown";
  try {
    // Some virtual machines report only the vendor in os.cpus(); /proc/cpuinfo may say more.
    const fromProc = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim();
    if (fromProc && fromProc.length > model.length) model = fromProc;
  } catch {
    // not Linux
  }
  return {
    cpuModel: model,
    cores: availableParallelism(),
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
  };
}

/** The 1-minute load average: how busy the machine already was when a workload started. */
export function loadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

/** The installed version of `pkg` as seen from `fromDir` (its node_modules), or "?" when not found. */
export function installedVersion(pkg: string, fromDir: string): string {
  let dir = fromDir;
  for (let i = 0; i < 6; i++) {
    try {
      const json = JSON.parse(readFileSync(path.join(dir, "node_modules", pkg, "package.json"), "utf8")) as {
        version?: string;
      };
      if (json.version) return json.version;
    } catch {
      // look one level up
    }
    dir = path.dirname(dir);
  }
  return "?";
}

/**
 * The commit of tsbin that was measured, marked when tracked files differed from it; "?" outside a git
 * checkout. Results from different hosts are compared by it too, so that a difference in code is not taken
 * for one in hardware.
 */
export function sourceRevision(repoRoot: string): string {
  const git = (...args: string[]): string =>
    execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    const commit = git("rev-parse", "--short=12", "HEAD");
    return git("status", "--porcelain", "--untracked-files=no") === "" ? commit : `${commit} with uncommitted changes`;
  } catch {
    return "?";
  }
}

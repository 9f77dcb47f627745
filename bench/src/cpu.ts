/**
 * CPU time from /proc, in milliseconds (user + system; clock ticks are 10 ms here). Used to say where a
 * workload's CPU went: the server's event loop, its other threads (hashing, GC), and PostgreSQL.
 */
import { readdirSync, readFileSync } from "node:fs";

function statCpuMs(statPath: string): number | null {
  try {
    const stat = readFileSync(statPath, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "(comm) ", utime and stime are the 12th and 13th fields.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** CPU the whole process has used; null when unknown. */
export function cpuMs(pid: number): number | null {
  return statCpuMs(`/proc/${pid}/stat`);
}

/** CPU the process's main thread (its event loop, for Node.js) has used. */
export function mainThreadCpuMs(pid: number): number | null {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

/**
 * CPU used by every process on this machine named `postgres` (server and backends, including the
 * ones that have since exited only until they exit): meaningful when the benchmark's PostgreSQL is
 * local and nothing else uses it. Backends that start or end during a workload make it approximate.
 */
export function postgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== "postgres") continue;
      total += statCpuMs(`/proc/${entry}/stat`) ?? 0;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** The whole machine's CPU time so far. */
export interface MachineCpu {
  /** Time the cores spent running anything: user, nice, system, interrupts. */
  busyMs: number;
  /** Of that, the kernel's: system calls, page faults, interrupts (system, irq and softirq). */
  kernelMs: number;
  /** Busy plus idle and I/O wait: cores × elapsed time. Time stolen by the hypervisor is in neither. */
  totalMs: number;
}

/** The machine's CPU time from the first line of /proc/stat; null where there is none. */
export function machineCpu(): MachineCpu | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    const [label, user, nice, system, idle, iowait, irq, softirq] = line.split(/\s+/);
    if (label !== "cpu") return null;
    const ticks = [user, nice, system, idle, iowait, irq, softirq].map(Number);
    if (ticks.some((t) => !Number.isFinite(t))) return null;
    const [u = 0, n = 0, s = 0, i = 0, w = 0, q = 0, sq = 0] = ticks;
    const busy = u + n + s + q + sq;
    return { busyMs: busy * 10, kernelMs: (s + q + sq) * 10, totalMs: (busy + i + w) * 10 };
  } catch {
    return null;
  }
}

/** What the machine did between two readings, per unit of work. */
export interface MachineUse {
  /** Busy CPU per unit, µs. */
  cpuUsPerUnit: number | null;
  /** Of that, the kernel's, µs. */
  kernelUsPerUnit: number | null;
  /** The share of the cores that was busy. */
  busyShare: number | null;
}

/** What the machine did between two readings: its CPU (and the kernel's part) per unit of work, and the share of it that was busy. */
export function machineUse(before: MachineCpu | null, after: MachineCpu | null, units: number): MachineUse {
  if (!before || !after || after.totalMs <= before.totalMs) {
    return { cpuUsPerUnit: null, kernelUsPerUnit: null, busyShare: null };
  }
  const busy = after.busyMs - before.busyMs;
  const perUnit = (ms: number) => (units > 0 ? (ms * 1000) / units : null);
  return {
    cpuUsPerUnit: perUnit(busy),
    kernelUsPerUnit: perUnit(after.kernelMs - before.kernelMs),
    busyShare: busy / (after.totalMs - before.totalMs),
  };
}

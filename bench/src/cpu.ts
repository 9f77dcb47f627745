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

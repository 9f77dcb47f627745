/**
 * Peak resident memory of server processes during one workload. Linux keeps the peak in
 * `/proc/<pid>/status` (VmHWM); writing "5" to `/proc/<pid>/clear_refs` resets it, so each workload
 * gets its own peak. RSS is also polled, in case the reset is not permitted.
 */
import { readFileSync, writeFileSync } from "node:fs";

function statusKb(pid: number, field: "VmHWM" | "VmRSS"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export class PeakMemory {
  readonly #pids: readonly number[];
  readonly #polled = new Map<number, number>();
  readonly #timer: NodeJS.Timeout;
  #resetWorked = true;

  constructor(pids: readonly number[], intervalMs = 100) {
    this.#pids = pids;
    for (const pid of pids) {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, "5");
      } catch {
        this.#resetWorked = false;
      }
    }
    this.#timer = setInterval(() => this.#poll(), intervalMs);
    this.#timer.unref();
    this.#poll();
  }

  #poll(): void {
    for (const pid of this.#pids) {
      const rss = statusKb(pid, "VmRSS");
      if (rss !== null) this.#polled.set(pid, Math.max(this.#polled.get(pid) ?? 0, rss));
    }
  }

  /** Stops sampling; the largest peak of any one process, in MB (10^6 bytes). */
  stop(): number | null {
    clearInterval(this.#timer);
    this.#poll();
    let peakKb: number | null = null;
    for (const pid of this.#pids) {
      const hwm = this.#resetWorked ? statusKb(pid, "VmHWM") : null;
      const kb = Math.max(hwm ?? 0, this.#polled.get(pid) ?? 0);
      if (kb > 0) peakKb = Math.max(peakKb ?? 0, kb);
    }
    return peakKb === null ? null : (peakKb * 1024) / 1e6;
  }
}

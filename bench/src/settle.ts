/**
 * Waiting for servers to finish what a load test left them. When autocannon stops, the requests still
 * queued in a server are abandoned by the client but not by the server: a login storm leaves up to one
 * hash per connection behind (about 300 ms of both cores on a slow host). Measured right after, the
 * next segment would pay for them, and in the alternating login segments (raw, floor, W2, raw, …) that
 * is always W2 (after the floor) and the raw limit (after W2), never the floor.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface SettleOptions {
  /** Length of one look at the servers' CPU. */
  sliceMs: number;
  /** Quiet: at most this much CPU used during one slice (/proc counts in 10 ms ticks). */
  quietCpuMs: number;
  /** Give up waiting after this long; the servers may have steady background work. */
  maxMs: number;
}

export const DEFAULT_SETTLE: SettleOptions = { sliceMs: 100, quietCpuMs: 10, maxMs: 5_000 };

/**
 * Waits until `readCpuMs` (the servers' CPU so far) grows by at most `quietCpuMs` over one slice, or
 * `maxMs` has passed. Resolves with whether the servers went quiet and how long the wait took.
 */
export async function settle(
  readCpuMs: () => number,
  options: SettleOptions = DEFAULT_SETTLE,
): Promise<{ quiet: boolean; waitedMs: number }> {
  const started = performance.now();
  let before = readCpuMs();
  for (;;) {
    await sleep(options.sliceMs);
    const now = readCpuMs();
    const waitedMs = performance.now() - started;
    if (now - before <= options.quietCpuMs) return { quiet: true, waitedMs };
    if (waitedMs >= options.maxMs) return { quiet: false, waitedMs };
    before = now;
  }
}

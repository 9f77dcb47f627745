import { randomInt } from "node:crypto";

/**
 * The preferred hasher's recent durations, in milliseconds: the last `window` measurements, once at
 * least `minimum` are in. A check of a cheaper hash (another algorithm, or weaker parameters with
 * no way to top them up) is held until one of these durations, drawn at random, has passed. So such
 * checks take as long as current ones not only in the median but in their spread too (a fixed
 * wait would make them suspiciously regular), and they follow the machine's load as real checks
 * keep coming in.
 */
export interface HasherCostEstimate {
  /** Adds one duration of the preferred hasher's full work (a verification or a dummy). */
  record(milliseconds: number): void;
  /** One of the recent durations, drawn at random; `null` while there are too few to trust. */
  draw(): number | null;
}

export function createHasherCostEstimate(window = 32, minimum = 5): HasherCostEstimate {
  const recent: number[] = [];
  let next = 0;
  return {
    record(milliseconds) {
      if (!Number.isFinite(milliseconds) || milliseconds < 0) return;
      if (recent.length < window) recent.push(milliseconds);
      else recent[next] = milliseconds;
      next = (next + 1) % window;
    },
    draw() {
      if (recent.length < minimum) return null;
      // A cryptographic draw: which duration is used must not be predictable from earlier answers.
      return recent[randomInt(recent.length)] ?? null;
    },
  };
}

/**
 * Resolves when `milliseconds` have passed since `startedAt` (a `performance.now()` value), to within
 * a millisecond; at once when they already have.
 */
export async function waitUntilElapsed(startedAt: number, milliseconds: number): Promise<void> {
  for (;;) {
    const remaining = startedAt + milliseconds - performance.now();
    if (remaining < 1) return;
    // Timers count whole milliseconds. Rounding up would end the wait up to a millisecond late on
    // average; rounding down and checking again ends it within the last millisecond before.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(remaining)));
  }
}

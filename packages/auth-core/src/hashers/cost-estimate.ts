/**
 * The preferred hasher's recent durations, in milliseconds: the median of the last `window`
 * measurements, once at least `minimum` are in. A check of a cheaper hash (another algorithm, or
 * weaker parameters with no way to top them up) is held until this long has passed, so it answers
 * when a current hash would; the median follows the machine's load as real checks keep coming in.
 */
export interface HasherCostEstimate {
  /** Adds one duration of the preferred hasher's full work (a verification or a dummy). */
  record(milliseconds: number): void;
  /** The median of the recent durations, or `null` while there are too few to trust. */
  median(): number | null;
}

export function createHasherCostEstimate(window = 15, minimum = 5): HasherCostEstimate {
  const recent: number[] = [];
  let next = 0;
  return {
    record(milliseconds) {
      if (!Number.isFinite(milliseconds) || milliseconds < 0) return;
      if (recent.length < window) recent.push(milliseconds);
      else recent[next] = milliseconds;
      next = (next + 1) % window;
    },
    median() {
      if (recent.length < minimum) return null;
      const sorted = [...recent].sort((a, b) => a - b);
      const middle = sorted.length >> 1;
      return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
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

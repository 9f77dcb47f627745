/** Statistics for the timing checks (catalogue section 4): medians and a bootstrap CI of their difference. */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (position - low);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** A small seeded PRNG (mulberry32), so a run's resampling can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = result[i] as T;
    result[i] = result[j] as T;
    result[j] = a;
  }
  return result;
}

/** 95 % bootstrap confidence interval of median(a) − median(b). */
export function bootstrapMedianDifference(
  a: readonly number[],
  b: readonly number[],
  resamples = 4000,
  seed = 20_260_719,
): { difference: number; low: number; high: number } {
  const random = seededRandom(seed);
  const resample = (values: readonly number[]): number[] =>
    Array.from({ length: values.length }, () => values[Math.floor(random() * values.length)] as number);
  const differences: number[] = [];
  for (let i = 0; i < resamples; i += 1) differences.push(median(resample(a)) - median(resample(b)));
  return { difference: median(a) - median(b), low: quantile(differences, 0.025), high: quantile(differences, 0.975) };
}

export interface TimingClassSummary {
  name: string;
  n: number;
  median: number;
  iqr: number;
  p95: number;
}

export function summarize(name: string, values: readonly number[]): TimingClassSummary {
  return {
    name,
    n: values.length,
    median: round(median(values)),
    iqr: round(quantile(values, 0.75) - quantile(values, 0.25)),
    p95: round(quantile(values, 0.95)),
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export type BandVerdict = "inside" | "outside" | "inconclusive";

/**
 * Where a confidence interval lies against the ±band of catalogue section 4: wholly inside (pass),
 * wholly outside (a real difference), or across an edge (take more samples).
 */
export function bandVerdict(ci: { low: number; high: number }, band: number): BandVerdict {
  if (ci.low >= -band && ci.high <= band) return "inside";
  if (ci.low > band || ci.high < -band) return "outside";
  return "inconclusive";
}

/**
 * 95 % bootstrap CI of the median of paired differences a[i] − b[i], where a[i] and b[i] were measured
 * in the same interleaved round: load that drifts over seconds on shared cores cancels out of each pair.
 */
export function bootstrapPairedMedian(
  a: readonly number[],
  b: readonly number[],
  resamples = 4000,
  seed = 20_260_719,
): { difference: number; low: number; high: number } {
  const n = Math.min(a.length, b.length);
  const diffs = Array.from({ length: n }, (_, i) => (a[i] as number) - (b[i] as number));
  const random = seededRandom(seed);
  const estimates: number[] = [];
  for (let i = 0; i < resamples; i += 1) {
    estimates.push(median(Array.from({ length: n }, () => diffs[Math.floor(random() * n)] as number)));
  }
  return { difference: median(diffs), low: quantile(estimates, 0.025), high: quantile(estimates, 0.975) };
}

/**
 * The decision for one timing class: a CI wholly inside the band passes, one wholly outside fails (a
 * real difference). One still across an edge after every batch is decided by its point estimate and
 * reported as inconclusive: on two shared cores the noise, not the server, would otherwise decide.
 */
export function timingPasses(ci: { difference: number; low: number; high: number }, band: number): boolean {
  const verdict = bandVerdict(ci, band);
  if (verdict === "inside") return true;
  if (verdict === "outside") return false;
  return Math.abs(ci.difference) <= band;
}

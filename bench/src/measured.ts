/**
 * What one measured load test gave, and how several segments of the same workload add up to one
 * figure: the interleaved W0/W1 measurement runs each side in short segments, and the figures
 * reported are those of all its segments together, as if they had been one test.
 */
import { loadResult, type LoadResult } from "./load.ts";

export interface Measured {
  load: LoadResult;
  rssMb: number | null;
  cpuUsPerRequest: number | null;
  /** Of that, the servers' main threads (the event loops); the rest is hashing, GC and other helpers. */
  mainCpuUsPerRequest: number | null;
  /** CPU of the local PostgreSQL per request; null when the database is elsewhere or embedded. */
  pgCpuUsPerRequest: number | null;
  /** Least ÷ most CPU used by one worker, when there are several (1: perfectly even). */
  balance: number | null;
  /** The whole machine's busy CPU per request: servers, PostgreSQL, the load generator, the kernel. */
  machineCpuUsPerRequest: number | null;
  /** Of that, the kernel's: system calls, page faults, interrupts. */
  machineKernelUsPerRequest: number | null;
  /** The share of the machine's cores that was busy meanwhile (1: every core all the time). */
  machineBusyShare: number | null;
}

/** The mean of `value` over `items`, weighted by `weight`; null when any value is unknown or nothing weighs. */
export function weightedMean<T>(
  items: readonly T[],
  value: (item: T) => number | null,
  weight: (item: T) => number,
): number | null {
  let total = 0;
  let weights = 0;
  for (const item of items) {
    const v = value(item);
    if (v === null) return null;
    const w = weight(item);
    total += v * w;
    weights += w;
  }
  return weights === 0 ? null : total / weights;
}

/** The mean of per-request figures, weighted by each segment's answered requests. */
function perRequestMean(segments: readonly Measured[], pick: (m: Measured) => number | null): number | null {
  return weightedMean(segments, pick, (s) => s.load.ok);
}

/** The mean of a share, weighted by each segment's measured seconds. */
function timeWeightedMean(segments: readonly Measured[], pick: (m: Measured) => number | null): number | null {
  return weightedMean(segments, pick, (s) => s.load.seconds);
}

function nullableBest(values: readonly (number | null)[], pick: (a: number, b: number) => number): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((a, b) => pick(a, b));
}

/**
 * Segments of one workload as one measurement: answers and errors are summed, the rate is all
 * answers over all measured seconds, percentiles come from every latency together, peak RSS is the
 * highest and the worker balance the most uneven of any segment.
 */
export function combineMeasured(segments: readonly Measured[]): Measured {
  if (segments.length === 0) throw new Error("combineMeasured: no segments");
  const latencies = segments.flatMap((s) => s.load.latencies).sort((a, b) => a - b);
  const ok = segments.reduce((sum, s) => sum + s.load.ok, 0);
  const seconds = segments.reduce((sum, s) => sum + s.load.seconds, 0);
  const statuses: Record<string, number> = {};
  for (const segment of segments) {
    for (const [status, count] of Object.entries(segment.load.statuses)) {
      statuses[status] = (statuses[status] ?? 0) + count;
    }
  }
  const errors = segments.reduce((sum, s) => sum + s.load.errors, 0);
  return {
    load: loadResult({ ok, errors, statuses, seconds }, latencies),
    rssMb: nullableBest(
      segments.map((s) => s.rssMb),
      Math.max,
    ),
    cpuUsPerRequest: perRequestMean(segments, (s) => s.cpuUsPerRequest),
    mainCpuUsPerRequest: perRequestMean(segments, (s) => s.mainCpuUsPerRequest),
    pgCpuUsPerRequest: perRequestMean(segments, (s) => s.pgCpuUsPerRequest),
    machineCpuUsPerRequest: perRequestMean(segments, (s) => s.machineCpuUsPerRequest),
    machineKernelUsPerRequest: perRequestMean(segments, (s) => s.machineKernelUsPerRequest),
    machineBusyShare: timeWeightedMean(segments, (s) => s.machineBusyShare),
    balance: nullableBest(
      segments.map((s) => s.balance),
      Math.min,
    ),
  };
}

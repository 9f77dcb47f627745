/**
 * Whether the benchmark starts another run. A run's length is set mostly by its fixed load durations,
 * but a slow or busy host stretches its start-ups, seeding and settling; a benchmark that is stopped
 * by its time limit prints nothing, so it rather reports the medians of the runs it finished.
 */
export interface RunPlan {
  /** Milliseconds since the benchmark started. */
  elapsedMs: number;
  /** How long each finished run took, in milliseconds. */
  runDurationsMs: readonly number[];
  /** The benchmark's time limit, in milliseconds since it started. */
  limitMs: number;
  /** Time kept for what follows the last run: the report, stopping the servers, dropping the database. */
  reserveMs: number;
}

/** True when one more run, as long as the longest so far, ends before the limit with the reserve left. */
export function fitsAnotherRun(plan: RunPlan): boolean {
  const longest = Math.max(0, ...plan.runDurationsMs);
  return plan.elapsedMs + longest + plan.reserveMs <= plan.limitMs;
}

/** The note a report carries when runs were left out, so that its "median of N runs" is explained. */
export function skippedRunsNote(done: number, planned: number, plan: RunPlan): string {
  const longest = Math.max(0, ...plan.runDurationsMs);
  const runs = planned - done === 1 ? `run ${done + 1} was` : `runs ${done + 1}–${planned} were`;
  return (
    `${runs} not started: after ${seconds(plan.elapsedMs)} s, one more run (${seconds(longest)} s, as long as the ` +
    `longest so far) would have passed the benchmark's limit of ${seconds(plan.limitMs)} s; the figures are the ` +
    `medians of ${done} run${done === 1 ? "" : "s"}.`
  );
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}

import { describe, expect, it } from "vitest";
import { fitsAnotherRun, skippedRunsNote, type RunPlan } from "./time-plan.ts";

const LIMIT = 570_000;
const RESERVE = 20_000;

function plan(elapsedMs: number, runDurationsMs: number[]): RunPlan {
  return { elapsedMs, runDurationsMs, limitMs: LIMIT, reserveMs: RESERVE };
}

describe("fitsAnotherRun", () => {
  it("starts another run when one as long as the longest so far ends before the limit, reserve kept", () => {
    // Build and seeding took 30 s, runs 150 and 160 s: at 340 s, a third run of 160 s ends at 500 s.
    expect(fitsAnotherRun(plan(340_000, [150_000, 160_000]))).toBe(true);
    // Exactly at the line: 390 + 160 + 20 = 570.
    expect(fitsAnotherRun(plan(390_000, [150_000, 160_000]))).toBe(true);
  });

  it("stops when the longest run so far would pass the limit, even if the last one was short", () => {
    expect(fitsAnotherRun(plan(391_000, [160_000, 150_000]))).toBe(false);
    expect(fitsAnotherRun(plan(500_000, [240_000]))).toBe(false);
  });

  it("leaves no room for a run once the reserve itself is used up", () => {
    expect(fitsAnotherRun(plan(LIMIT - RESERVE + 1, [0]))).toBe(false);
  });
});

describe("skippedRunsNote", () => {
  it("names the runs left out and says how many runs the medians are of", () => {
    expect(skippedRunsNote(2, 3, plan(400_000, [180_000, 190_000]))).toBe(
      "run 3 was not started: after 400 s, one more run (190 s, as long as the longest so far) would have passed " +
        "the benchmark's limit of 570 s; the figures are the medians of 2 runs.",
    );
    expect(skippedRunsNote(1, 3, plan(350_000, [300_000]))).toContain(
      "runs 2–3 were not started: after 350 s, one more run (300 s",
    );
    expect(skippedRunsNote(1, 3, plan(350_000, [300_000]))).toContain("the medians of 1 run.");
  });
});

import { describe, expect, it } from "vitest";
import { createHasherCostEstimate, waitUntilElapsed } from "./cost-estimate.ts";

describe("the preferred hasher's cost estimate", () => {
  it("has no value until enough durations are in", () => {
    const estimate = createHasherCostEstimate(32, 5);
    for (const ms of [12, 30, 11, 13]) estimate.record(ms);
    expect(estimate.draw()).toBeNull();
    estimate.record(14);
    expect(estimate.draw()).not.toBeNull();
  });

  it("draws every recent duration, and only those, so padded checks spread like real ones", () => {
    const estimate = createHasherCostEstimate(32, 5);
    const durations = [9.5, 11, 12.25, 14, 21];
    for (const ms of durations) estimate.record(ms);
    const drawn = new Map<number, number>();
    for (let i = 0; i < 2_000; i += 1) {
      const value = estimate.draw() ?? Number.NaN;
      drawn.set(value, (drawn.get(value) ?? 0) + 1);
    }
    expect([...drawn.keys()].sort((a, b) => a - b)).toEqual(durations);
    // Uniform: each of the five is drawn about 400 times (a count under 250 has odds below 1e-15).
    for (const count of drawn.values()) expect(count).toBeGreaterThan(250);
  });

  it("forgets durations older than its window", () => {
    const estimate = createHasherCostEstimate(5, 3);
    for (const ms of [10, 10, 10, 10, 10]) estimate.record(ms);
    for (const ms of [40, 40, 40, 40, 40]) estimate.record(ms);
    for (let i = 0; i < 50; i += 1) expect(estimate.draw()).toBe(40);
  });

  it("ignores values that are not durations", () => {
    const estimate = createHasherCostEstimate(5, 1);
    for (const ms of [Number.NaN, -1, Number.POSITIVE_INFINITY]) estimate.record(ms);
    expect(estimate.draw()).toBeNull();
  });
});

describe("waitUntilElapsed", () => {
  it("resolves when the given time has passed since the start, to within a millisecond", async () => {
    for (const alreadyPassed of [0, 5.05, 5.95]) {
      const started = performance.now() - alreadyPassed;
      await waitUntilElapsed(started, 20);
      expect(performance.now() - started).toBeGreaterThan(19);
    }
  });

  it("resolves at once, without a timer, when the time has already passed", async () => {
    const order: string[] = [];
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        order.push("timer");
        resolve();
      }, 0),
    );
    await waitUntilElapsed(performance.now() - 50, 10);
    order.push("waited");
    await timer;
    expect(order).toEqual(["waited", "timer"]);
  });
});

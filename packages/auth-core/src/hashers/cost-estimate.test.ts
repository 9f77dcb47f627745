import { describe, expect, it } from "vitest";
import { createHasherCostEstimate, waitUntilElapsed } from "./cost-estimate.ts";

describe("the preferred hasher's cost estimate", () => {
  it("has no value until enough durations are in, then their median", () => {
    const estimate = createHasherCostEstimate(15, 5);
    for (const ms of [12, 30, 11, 13]) estimate.record(ms);
    expect(estimate.median()).toBeNull();
    estimate.record(14);
    expect(estimate.median()).toBe(13);
    estimate.record(100);
    expect(estimate.median()).toBe(13.5);
  });

  it("follows the recent durations only", () => {
    const estimate = createHasherCostEstimate(5, 3);
    for (const ms of [10, 10, 10, 10, 10]) estimate.record(ms);
    for (const ms of [40, 40, 40]) estimate.record(ms);
    expect(estimate.median()).toBe(40);
  });

  it("ignores values that are not durations", () => {
    const estimate = createHasherCostEstimate(5, 1);
    for (const ms of [Number.NaN, -1, Number.POSITIVE_INFINITY]) estimate.record(ms);
    expect(estimate.median()).toBeNull();
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

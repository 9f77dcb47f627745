import { describe, expect, it } from "vitest";
import { machineCpu, machineUse } from "./cpu.ts";

describe("machineUse", () => {
  it("gives the busy CPU per unit of work and the busy share of the cores between two readings", () => {
    // 2 cores for 1 s: 2,000 ms in all, of which 1,500 busy, for 100 verifications.
    const use = machineUse({ busyMs: 10_000, totalMs: 40_000 }, { busyMs: 11_500, totalMs: 42_000 }, 100);
    expect(use.cpuUsPerUnit).toBeCloseTo(15_000);
    expect(use.busyShare).toBeCloseTo(0.75);
  });

  it("says unknown rather than dividing by nothing", () => {
    expect(machineUse(null, { busyMs: 1, totalMs: 2 }, 5)).toEqual({ cpuUsPerUnit: null, busyShare: null });
    expect(machineUse({ busyMs: 1, totalMs: 2 }, { busyMs: 1, totalMs: 2 }, 5)).toEqual({
      cpuUsPerUnit: null,
      busyShare: null,
    });
    expect(machineUse({ busyMs: 0, totalMs: 0 }, { busyMs: 10, totalMs: 20 }, 0).cpuUsPerUnit).toBeNull();
  });
});

describe("machineCpu", () => {
  it.runIf(process.platform === "linux")("reads a busy time no larger than the total, both growing", async () => {
    const first = machineCpu();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = machineCpu();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    if (!first || !second) return;
    expect(first.busyMs).toBeLessThanOrEqual(first.totalMs);
    expect(second.totalMs).toBeGreaterThanOrEqual(first.totalMs);
    expect(second.busyMs).toBeGreaterThanOrEqual(first.busyMs);
  });
});

import { describe, expect, it } from "vitest";
import { machineCpu, machineUse } from "./cpu.ts";

describe("machineUse", () => {
  it("gives the busy CPU per unit of work, the kernel's part of it and the busy share of the cores between two readings", () => {
    // 2 cores for 1 s: 2,000 ms in all, of which 1,500 busy (400 in the kernel), for 100 verifications.
    const use = machineUse(
      { busyMs: 10_000, kernelMs: 3_000, totalMs: 40_000 },
      { busyMs: 11_500, kernelMs: 3_400, totalMs: 42_000 },
      100,
    );
    expect(use.cpuUsPerUnit).toBeCloseTo(15_000);
    expect(use.kernelUsPerUnit).toBeCloseTo(4_000);
    expect(use.busyShare).toBeCloseTo(0.75);
  });

  it("says unknown rather than dividing by nothing", () => {
    const unknown = { cpuUsPerUnit: null, kernelUsPerUnit: null, busyShare: null };
    const reading = { busyMs: 1, kernelMs: 1, totalMs: 2 };
    expect(machineUse(null, reading, 5)).toEqual(unknown);
    expect(machineUse(reading, reading, 5)).toEqual(unknown);
    const noWork = machineUse({ busyMs: 0, kernelMs: 0, totalMs: 0 }, { busyMs: 10, kernelMs: 5, totalMs: 20 }, 0);
    expect(noWork.cpuUsPerUnit).toBeNull();
    expect(noWork.kernelUsPerUnit).toBeNull();
  });
});

describe("machineCpu", () => {
  it.runIf(process.platform === "linux")(
    "reads a kernel time within the busy time within the total, all growing",
    async () => {
      const first = machineCpu();
      await new Promise((resolve) => setTimeout(resolve, 30));
      const second = machineCpu();
      expect(first).not.toBeNull();
      expect(second).not.toBeNull();
      if (!first || !second) return;
      expect(first.kernelMs).toBeLessThanOrEqual(first.busyMs);
      expect(first.busyMs).toBeLessThanOrEqual(first.totalMs);
      expect(second.kernelMs).toBeGreaterThanOrEqual(first.kernelMs);
      expect(second.totalMs).toBeGreaterThanOrEqual(first.totalMs);
      expect(second.busyMs).toBeGreaterThanOrEqual(first.busyMs);
    },
  );
});

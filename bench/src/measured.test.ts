import { describe, expect, it } from "vitest";
import type { LoadResult } from "./load.ts";
import { combineMeasured, type Measured } from "./measured.ts";

function segment(latencies: number[], seconds: number, extra: Partial<Measured> = {}, statuses = {}): Measured {
  const sorted = [...latencies].sort((a, b) => a - b);
  const load: LoadResult = {
    rps: sorted.length / seconds,
    ok: sorted.length,
    errors: Object.values(statuses).reduce((sum: number, n) => sum + Number(n), 0),
    statuses,
    p50: null,
    p90: null,
    p99: null,
    max: sorted.at(-1) ?? null,
    seconds,
    latencies: sorted,
  };
  return {
    load,
    rssMb: 100,
    cpuUsPerRequest: 50,
    mainCpuUsPerRequest: 40,
    pgCpuUsPerRequest: 20,
    balance: null,
    machineCpuUsPerRequest: 80,
    machineKernelUsPerRequest: 20,
    machineBusyShare: 0.9,
    ...extra,
  };
}

describe("combineMeasured", () => {
  it("reports segments as one test: all answers over all seconds, percentiles over every latency", () => {
    // A fast segment and a slow one: the p99 must come from the slow one's tail, not an average.
    const fast = segment(
      Array.from({ length: 900 }, () => 1),
      1,
    );
    const slow = segment(
      Array.from({ length: 100 }, (_, i) => 10 + i),
      2,
    );
    const both = combineMeasured([fast, slow]);
    expect(both.load.ok).toBe(1000);
    expect(both.load.seconds).toBe(3);
    expect(both.load.rps).toBeCloseTo(1000 / 3);
    expect(both.load.p50).toBe(1);
    expect(both.load.p99).toBe(99);
    expect(both.load.max).toBe(109);
  });

  it("weights per-request CPU by answers, keeps the highest RSS and the most uneven balance", () => {
    const a = segment([1, 1, 1], 1, { cpuUsPerRequest: 10, rssMb: 120, balance: 0.9 });
    const b = segment([1], 1, { cpuUsPerRequest: 50, rssMb: 150, balance: 0.6 });
    const both = combineMeasured([a, b]);
    expect(both.cpuUsPerRequest).toBeCloseTo((3 * 10 + 50) / 4);
    expect(both.rssMb).toBe(150);
    expect(both.balance).toBe(0.6);
  });

  it("weights the machine's CPU per request (and the kernel's part) by answers and its busy share by measured seconds", () => {
    // Many answers in a short segment, few in a long one: the busy share must follow time, not answers.
    const a = segment([1, 1, 1, 1], 1, {
      machineCpuUsPerRequest: 100,
      machineKernelUsPerRequest: 30,
      machineBusyShare: 1,
    });
    const b = segment([1], 3, { machineCpuUsPerRequest: 500, machineKernelUsPerRequest: 80, machineBusyShare: 0.6 });
    const both = combineMeasured([a, b]);
    expect(both.machineCpuUsPerRequest).toBeCloseTo((4 * 100 + 500) / 5);
    expect(both.machineKernelUsPerRequest).toBeCloseTo((4 * 30 + 80) / 5);
    expect(both.machineBusyShare).toBeCloseTo((1 * 1 + 3 * 0.6) / 4);
    expect(combineMeasured([a, segment([1], 1, { machineBusyShare: null })]).machineBusyShare).toBeNull();
  });

  it("sums errors by status, and says unknown when one segment could not measure a figure", () => {
    const a = segment([1], 1, {}, { "503": 2 });
    const b = segment([1], 1, { pgCpuUsPerRequest: null, rssMb: null }, { "503": 1, timeout: 4 });
    const both = combineMeasured([a, b]);
    expect(both.load.statuses).toEqual({ "503": 3, timeout: 4 });
    expect(both.load.errors).toBe(7);
    expect(both.pgCpuUsPerRequest).toBeNull();
    expect(both.rssMb).toBe(100);
  });

  it("refuses to invent a measurement from no segments", () => {
    expect(() => combineMeasured([])).toThrow(/no segments/);
  });
});

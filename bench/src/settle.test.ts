import { describe, expect, it } from "vitest";
import { settle } from "./settle.ts";

const FAST = { sliceMs: 5, quietCpuMs: 10, maxMs: 1_000 };

/** A server's CPU counter that grows by each step in turn, then stays where it is. */
function counter(steps: number[]): { read: () => number; reads: () => number } {
  let total = 0;
  let reads = 0;
  return {
    read: () => {
      total += steps[reads] ?? 0;
      reads += 1;
      return total;
    },
    reads: () => reads,
  };
}

describe("settle", () => {
  it("waits while the servers still work off what the load left, and returns once a slice is quiet", async () => {
    // First reading, then three busy slices (a queue of hashes draining), then a quiet one.
    const cpu = counter([0, 40, 30, 20, 0]);
    const result = await settle(cpu.read, FAST);
    expect(result.quiet).toBe(true);
    expect(cpu.reads()).toBe(5);
  });

  it("returns after one slice when the servers are already idle", async () => {
    const cpu = counter([0, 10]);
    expect((await settle(cpu.read, FAST)).quiet).toBe(true);
    expect(cpu.reads()).toBe(2);
  });

  it("gives up after the longest wait when the servers never go quiet", async () => {
    let total = 0;
    const result = await settle(() => (total += 50), { ...FAST, maxMs: 30 });
    expect(result.quiet).toBe(false);
    expect(result.waitedMs).toBeGreaterThanOrEqual(30);
  });
});

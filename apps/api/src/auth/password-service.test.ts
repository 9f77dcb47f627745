import { readdirSync } from "node:fs";
import { getPriority } from "node:os";
import { describe, expect, it } from "vitest";
import { lowerHelperThreadPriority } from "./password-service.ts";

/** Nice values of this process's threads other than the main one, by thread id. */
function helperPriorities(): Map<number, number> {
  const priorities = new Map<number, number>();
  for (const entry of readdirSync("/proc/self/task")) {
    const tid = Number(entry);
    if (tid === process.pid) continue;
    try {
      priorities.set(tid, getPriority(tid));
    } catch {
      // the thread ended meanwhile
    }
  }
  return priorities;
}

describe.runIf(process.platform === "linux")("lowerHelperThreadPriority", () => {
  it("changes nothing when asked for no difference", () => {
    const before = helperPriorities();
    lowerHelperThreadPriority(0);
    for (const [tid, priority] of helperPriorities()) {
      if (before.has(tid)) expect(priority).toBe(before.get(tid));
    }
  });

  it("lowers every thread's priority but the main thread's", () => {
    const main = getPriority();
    lowerHelperThreadPriority(1);
    const helpers = [...helperPriorities().values()];
    expect(helpers.length).toBeGreaterThan(0);
    for (const priority of helpers) expect(priority).toBeGreaterThanOrEqual(Math.min(19, main + 1));
    expect(getPriority()).toBe(main);
  });
});

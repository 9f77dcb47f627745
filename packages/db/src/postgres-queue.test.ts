// patches/postgres@3.4.9.patch also changes postgres.js's connection queues (src/queue.js): shift() left
// an undefined slot per item and only emptied the array when the queue ran dry, so under sustained load
// a queue grew by one slot per push and every remove() (each time a connection changes state) scanned
// all of it — 10 % of the API's event loop in the benchmark. The patch searches only the live part and
// compacts the array; this checks that the queue still behaves exactly like a FIFO with removal.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

interface Queue<T> {
  readonly length: number;
  push(x: T): T;
  shift(): T | undefined;
  remove(x: T): T | null;
}

async function loadQueue(): Promise<<T>(initial?: T[]) => Queue<T>> {
  // The package's exports include neither src/queue.js nor package.json: find the package's root from its
  // CommonJS entry (cjs/src/index.js) and load the ESM queue by its file path.
  const cjsEntry = createRequire(import.meta.url).resolve("postgres");
  const file = pathToFileURL(path.join(path.dirname(cjsEntry), "..", "..", "src", "queue.js")).href;
  const module = (await import(file)) as { default: <T>(initial?: T[]) => Queue<T> };
  return module.default;
}

/** A deterministic pseudo-random sequence (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("postgres.js connection queue (patched)", () => {
  it("keeps FIFO order, length and removal through long runs that never empty it", async () => {
    const Queue = await loadQueue();
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const queue = Queue<number>();
      const model: number[] = [];
      let counter = 0;
      for (let step = 0; step < 60_000; step++) {
        const roll = next();
        if (roll < 0.45 || model.length < 3) {
          counter += 1;
          expect(queue.push(counter)).toBe(counter);
          model.push(counter);
        } else if (roll < 0.8) {
          expect(queue.shift()).toBe(model.shift());
        } else {
          // Remove a live item (as move() does), or one that is not queued.
          const target = next() < 0.9 ? model[Math.floor(next() * model.length)]! : -step;
          const at = model.indexOf(target);
          expect(queue.remove(target)).toBe(at === -1 ? null : target);
          if (at !== -1) model.splice(at, 1);
        }
        expect(queue.length).toBe(model.length);
      }
      while (model.length > 0) expect(queue.shift()).toBe(model.shift());
      expect(queue.length).toBe(0);
    }
  });

  it("starts from an initial list and runs dry cleanly", async () => {
    const Queue = await loadQueue();
    const queue = Queue(["a", "b", "c"]);
    expect(queue.remove("b")).toBe("b");
    expect(queue.remove("b")).toBeNull();
    expect(queue.shift()).toBe("a");
    expect(queue.shift()).toBe("c");
    expect(queue.length).toBe(0);
    queue.push("d");
    expect(queue.shift()).toBe("d");
  });
});

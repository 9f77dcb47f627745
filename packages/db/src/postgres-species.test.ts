// patches/postgres@3.4.9.patch also turns postgres.js's `static get [Symbol.species]()` on Result (an
// Array subclass, one per query) and Query (a Promise subclass) into plain data properties. With the
// getter, V8 aborts every optimisation of the two constructors ("dependency change") and starts over
// again and again: both ran unoptimised and TurboFan recompiled them about 25 times a second under load,
// on the same two cores as everything else. These tests check the behaviour stays upstream's and the
// constructors can now be optimised.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const cjsEntry = createRequire(import.meta.url).resolve("postgres");
const sourceUrl = (file: string) => pathToFileURL(path.join(path.dirname(cjsEntry), "..", "..", "src", file)).href;

type ResultClass = new () => unknown[];
interface QueryClass {
  new (strings: readonly string[], args: unknown[], handler: { debug: boolean }): Promise<unknown>;
}

async function load(): Promise<{ Result: ResultClass; Query: QueryClass }> {
  const result = (await import(sourceUrl("result.js"))) as { default: ResultClass };
  const query = (await import(sourceUrl("query.js"))) as { Query: QueryClass };
  return { Result: result.default, Query: query.Query };
}

describe("postgres.js Result and Query species (patched)", () => {
  it("still derive plain arrays and promises, as upstream's getters did", async () => {
    const { Result, Query } = await load();
    const rows = new Result();
    rows.push({ id: 1 }, { id: 2 });
    expect(rows.map((row) => row).constructor).toBe(Array);
    expect(rows.filter(Boolean).constructor).toBe(Array);
    expect(rows.slice(1).constructor).toBe(Array);
    expect(Object.keys(rows)).toEqual(["0", "1"]);
    const require = createRequire(import.meta.url);
    const CommonJsResult = require(path.join(path.dirname(cjsEntry), "result.js")) as ResultClass;
    expect(new CommonJsResult().map((row) => row).constructor).toBe(Array);
    expect((Query as unknown as Record<symbol, unknown>)[Symbol.species]).toBe(Promise);
  });

  it("lets V8 optimise both constructors", () => {
    // V8's %GetOptimizationStatus: bit 4 is set once the function runs optimised code.
    const script = `
      const { default: Result } = await import(${JSON.stringify(sourceUrl("result.js"))});
      const { Query } = await import(${JSON.stringify(sourceUrl("query.js"))});
      const makeQuery = () => new Query([], [], { debug: false });
      const status = {};
      for (const [name, make, fn] of [["Result", () => new Result(), Result], ["Query", makeQuery, Query]]) {
        for (let i = 0; i < 10; i++) make();
        %PrepareFunctionForOptimization(fn);
        make(); make();
        %OptimizeFunctionOnNextCall(fn);
        make();
        status[name] = (%GetOptimizationStatus(fn) & 16) !== 0;
      }
      console.log(JSON.stringify(status));`;
    const output = execFileSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(JSON.parse(output)).toEqual({ Result: true, Query: true });
  });
});

import { describe, expect, it } from "vitest";
import { flameGraphSvg, foldStacks, foldedText } from "./flamegraph.ts";
import type { CpuProfile } from "./cpu-profile.ts";

const BUNDLE = "file:///work/main/apps/api/dist/index.js";
const POSTGRES = "file:///work/main/node_modules/.pnpm/postgres@3.4.9/node_modules/postgres/src/index.js";

/** (root) → (idle); (root) → handler → query, "a;b<c>"; (root) → (garbage collector). */
function sampleProfile(): CpuProfile {
  const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber });
  return {
    nodes: [
      { id: 1, callFrame: frame("(root)"), children: [2, 3, 6] },
      { id: 2, callFrame: frame("(idle)") },
      { id: 3, callFrame: frame("handler", BUNDLE, 9), children: [4, 5] },
      { id: 4, callFrame: frame("query", POSTGRES, 0) },
      { id: 5, callFrame: frame("a;b<c>") },
      { id: 6, callFrame: frame("(garbage collector)") },
    ],
    startTime: 0,
    endTime: 1950,
    samples: [2, 3, 4, 4, 5, 6],
    timeDeltas: [1000, 200, 300, 300, 100, 50],
  };
}

describe("foldStacks", () => {
  it("gives each distinct stack its busy time, root first, without idle time or (root)", () => {
    const stacks = foldStacks(sampleProfile());
    expect(Object.fromEntries(stacks)).toEqual({
      "handler tsbin (api bundle):10": 200,
      "handler tsbin (api bundle):10;query postgres:1": 600,
      "handler tsbin (api bundle):10;a:b<c>": 100,
      "(garbage collector)": 50,
    });
  });

  it("writes the folded format: one sorted line per stack, frames joined by ';', whole microseconds last", () => {
    const lines = foldedText(foldStacks(sampleProfile())).split("\n");
    expect(lines).toEqual([
      "(garbage collector) 50",
      "handler tsbin (api bundle):10 200",
      "handler tsbin (api bundle):10;a:b<c> 100",
      "handler tsbin (api bundle):10;query postgres:1 600",
    ]);
  });
});

describe("flameGraphSvg", () => {
  const svg = flameGraphSvg(foldStacks(sampleProfile()), "W2 <login>");

  function rectOf(name: string): { width: number; y: number } {
    const escaped = name.replaceAll("<", "&lt;").replaceAll(">", "&gt;");
    const at = svg.indexOf(`<title>${escaped} — `);
    expect(at, `no frame titled ${name}`).toBeGreaterThan(-1);
    const rect = /<rect x="[\d.]+" y="(\d+)" width="([\d.]+)"/.exec(svg.slice(at));
    return { y: Number(rect?.[1]), width: Number(rect?.[2]) };
  }

  it("draws every frame as wide as its share of the busy time", () => {
    const all = rectOf("all busy time");
    expect(all.width).toBeCloseTo(1180, 1);
    expect(rectOf("handler tsbin (api bundle):10").width).toBeCloseTo((900 / 950) * 1180, 1);
    expect(rectOf("query postgres:1").width).toBeCloseTo((600 / 950) * 1180, 1);
    expect(rectOf("(garbage collector)").width).toBeCloseTo((50 / 950) * 1180, 1);
  });

  it("puts callees above their callers", () => {
    expect(rectOf("handler tsbin (api bundle):10").y).toBeLessThan(rectOf("all busy time").y);
    expect(rectOf("query postgres:1").y).toBeLessThan(rectOf("handler tsbin (api bundle):10").y);
  });

  it("shows milliseconds and share on hover, and escapes names and the title", () => {
    expect(svg).toContain("<title>handler tsbin (api bundle):10 — 0.9 ms, 94.7 %</title>");
    expect(svg).toContain("a:b&lt;c&gt;");
    expect(svg).toContain("W2 &lt;login&gt;");
    expect(svg).not.toContain("<c>");
  });

  it("colours a frame by where its code lives, not by its name", () => {
    const fillOf = (name: string) =>
      new RegExp(`<title>${name} — [^<]*</title><rect [^>]*fill="([^"]+)"`).exec(svg)?.[1];
    expect(fillOf("handler tsbin \\(api bundle\\):10")).toBe("#f28e2b");
    expect(fillOf("\\(garbage collector\\)")).toBe("#e15759");
    expect(fillOf("query postgres:1")).toMatch(/^hsl\(/);
  });

  it("is one well-formed SVG document", () => {
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<g>/g)?.length).toBe(svg.match(/<\/g>/g)?.length);
  });
});

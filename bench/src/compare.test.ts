import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  committedResultsFile,
  compareRuns,
  comparisonLines,
  readCommitted,
  similarHosts,
  withinNoise,
  type ComparableRun,
  type Comparison,
} from "./compare.ts";
import type { Figures, TargetResult } from "./report.ts";

const POSTGRES = 'scratch database "tsbin_bench_x" on the server at DATABASE_URL, dropped afterwards';
const PGLITE = "embedded PGlite in /tmp/x/pglite (DATABASE_URL unset)";

/** A run whose host serves `speed` times as fast as the base host, with the given host-independent ratios. */
function figures(speed: number, w1Ratio: number, w2Ratio: number, rss = 160): Figures {
  return {
    "hash.raw": 80 * speed,
    "w0.select.1p.rps": 8_000 * speed,
    "w1.1p.rps": 8_000 * speed * w1Ratio,
    "w1.1p.ratio": w1Ratio,
    "w2.rps": 80 * speed * w2Ratio,
    "w2.ratio": w2Ratio,
    "w2.rssMb": rss,
    "w4.rssMb": rss - 10,
  };
}

function target(name: string, met: boolean | null): TargetResult {
  return { name, value: null, limit: "", met };
}

function run(
  runs: Figures[],
  options: {
    database?: string;
    cpuModel?: string;
    targets?: TargetResult[];
    gzipBytes?: number;
    revision?: string;
  } = {},
): ComparableRun {
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  const medians: Figures = {};
  for (const key of keys) {
    const values = runs.map((r) => r[key]).filter((v): v is number => typeof v === "number");
    values.sort((a, b) => a - b);
    medians[key] = values[Math.floor(values.length / 2)] ?? null;
  }
  return {
    machine: { cpuModel: options.cpuModel ?? "Test CPU" },
    settings: { database: options.database ?? POSTGRES },
    runs,
    medians,
    web: { gzipBytes: options.gzipBytes ?? 139_900 },
    targets: options.targets ?? [],
    ...(options.revision ? { versions: { tsbin: options.revision } } : {}),
  };
}

describe("withinNoise", () => {
  it("accepts ranges that overlap or lie within 5 % of the committed median of each other", () => {
    expect(withinNoise({ median: 1.1, low: 1.05, high: 1.2 }, { median: 1.0, low: 0.9, high: 1.1 })).toBe(true);
    expect(withinNoise({ median: 1.14, low: 1.14, high: 1.14 }, { median: 1.0, low: 0.95, high: 1.1 })).toBe(true);
    expect(withinNoise({ median: 1.2, low: 1.16, high: 1.25 }, { median: 1.0, low: 0.95, high: 1.1 })).toBe(false);
    expect(withinNoise({ median: 0.7, low: 0.65, high: 0.8 }, { median: 1.0, low: 0.95, high: 1.1 })).toBe(false);
  });
});

describe("compareRuns", () => {
  const committed = run([figures(1, 1.1, 0.8), figures(1, 1.0, 0.78), figures(1, 1.2, 0.82)], {
    cpuModel: "Intel Xeon",
    targets: [target("W1 ≥ 70 %", true), target("W2 ≥ 95 %", false), target("RSS ≤ 200 MB", true)],
  });

  it("finds a run on a host twice as fast the same when its ratios, memory and JavaScript are", () => {
    const fresh = run([figures(2, 1.12, 0.79), figures(2, 1.05, 0.8), figures(2, 1.15, 0.81)], {
      targets: [target("W1 ≥ 70 %", true), target("W2 ≥ 95 %", false), target("RSS ≤ 200 MB", true)],
    });
    const c = compareRuns(fresh, { file: "results/2026-01-01-0000.json", report: committed, all: [] });
    expect(c.hostSpeed.hashing).toBeCloseTo(2, 9);
    expect(c.hostSpeed.selectFloor).toBeCloseTo(2, 9);
    expect(c.figures.map((f) => [f.label, f.status])).toEqual([
      ["W1 ÷ SELECT floor, 1 process", "same"],
      ["W2 logins/s ÷ raw hash limit", "same"],
      ["API peak RSS, any workload", "same"],
      ["login route JavaScript, gzipped", "same"],
    ]);
    expect(c.verdictDifferences).toEqual([]);
    const lines = comparisonLines(c);
    expect(lines[0]).toBe("against the committed summary (bench/results/2026-01-01-0000.json, Intel Xeon):");
    expect(lines[1]).toContain("this host hashes at 2.00× and serves the SELECT floor at 2.00×");
    expect(lines).toContain("  same    verdicts for every target measured in both");
  });

  it("names a ratio that moved beyond the committed runs' spread, and a changed verdict", () => {
    const fresh = run([figures(1, 0.62, 0.8), figures(1, 0.6, 0.79), figures(1, 0.65, 0.81)], {
      targets: [target("W1 ≥ 70 %", false), target("W2 ≥ 95 %", false), target("RSS ≤ 200 MB", null)],
    });
    const c = compareRuns(fresh, { file: "results/x.json", report: committed, all: [] });
    const w1 = c.figures.find((f) => f.label === "W1 ÷ SELECT floor, 1 process");
    expect(w1).toMatchObject({ status: "DIFFERS", fresh: { median: 0.62, low: 0.6, high: 0.65 } });
    expect(c.verdictDifferences).toEqual([{ target: "W1 ≥ 70 %", fresh: false, committed: true }]);
    const lines = comparisonLines(c);
    expect(lines).toContain(
      "  DIFFERS W1 ÷ SELECT floor, 1 process     0.62 (0.60–0.65) ×, committed 1.10 (1.00–1.20) ×",
    );
    expect(lines).toContain("  DIFFERS verdict: W1 ≥ 70 %: missed here, met in the committed run");
  });

  it("finds more memory or a larger login page a difference", () => {
    const fresh = run([figures(1, 1.1, 0.8, 230)], { gzipBytes: 160_000 });
    const c = compareRuns(fresh, { file: "results/x.json", report: committed, all: [] });
    expect(c.figures.filter((f) => f.status !== "same").map((f) => f.label)).toEqual([
      "API peak RSS, any workload",
      "login route JavaScript, gzipped",
    ]);
  });

  it("compares peak memory over the workloads both runs measured", () => {
    // A run of W1 alone: the committed peak comes from the login workloads, which it did not run.
    const w1Only = run([{ "w1.1p.ratio": 1.1, "w1.1p.rssMb": 110 }]);
    const c = compareRuns(w1Only, { file: "results/x.json", report: committed, all: [] });
    expect(c.figures.map((f) => [f.label, f.status])).toEqual([
      ["W1 ÷ SELECT floor, 1 process", "same"],
      ["login route JavaScript, gzipped", "same"],
    ]);
    // W1's larger peak does not count against the committed run, which has no W1 peak; W2's does.
    const withW1Peak = (w2Rss: number) => run([{ ...figures(1, 1.1, 0.8), "w1.1p.rssMb": 300, "w2.rssMb": w2Rss }]);
    const rssStatus = (fresh: ComparableRun) =>
      compareRuns(fresh, { file: "results/x.json", report: committed, all: [] }).figures.find(
        (f) => f.label === "API peak RSS, any workload",
      );
    expect(rssStatus(withW1Peak(160))).toMatchObject({ status: "same", fresh: { median: 160 } });
    expect(rssStatus(withW1Peak(230))).toMatchObject({ status: "DIFFERS", fresh: { median: 230 } });
  });

  /** A run's login figures: W2 ÷ raw is the bare login's share of the raw rate times tsbin's share of the bare login. */
  function logins(floorShare: number, tsbinShare: number): Figures {
    return {
      "w0.login.ratio": floorShare,
      "w2.floorRatio": tsbinShare,
      "w2.ratio": floorShare * tsbinShare,
    };
  }

  /** The committed runs the login tests compare with: the bare login at 0.85–0.87 of the raw rate, tsbin at 0.92–0.96 of it. */
  const committedLogins = run([logins(0.86, 0.92), logins(0.85, 0.92), logins(0.87, 0.96)]);
  const compareLogins = (fresh: ComparableRun) =>
    compareRuns(fresh, { file: "results/x.json", report: committedLogins, all: [] });
  const ratiosOf = (c: Comparison) => c.figures.filter((f) => f.unit === "×").map((f) => [f.label, f.status]);

  it("puts a lower W2 ÷ raw down to the host when the bare login fell as far and tsbin's share of it did not", () => {
    const fresh = run([logins(0.75, 0.91), logins(0.73, 0.89), logins(0.71, 0.89)]);
    const c = compareLogins(fresh);
    expect(ratiosOf(c)).toEqual([
      ["W2 logins/s ÷ raw hash limit", "host"],
      ["login floor ÷ raw hash limit", "host"],
      ["W2 logins/s ÷ login floor", "same"],
    ]);
    expect(
      comparisonLines(c)
        .find((line) => line.includes("W2 logins/s ÷ raw"))
        ?.replace(/ +/gu, " "),
    ).toBe(
      " host W2 logins/s ÷ raw hash limit 0.65 (0.63–0.68) ×, committed 0.79 (0.78–0.84) ×: " +
        "it moved with the login floor ÷ raw hash limit; the W2 logins/s ÷ login floor, tsbin's own part, is the same",
    );
  });

  it("calls a lower W2 ÷ raw a difference when tsbin's share of the bare login fell", () => {
    const fresh = run([logins(0.75, 0.8), logins(0.73, 0.79), logins(0.71, 0.8)]);
    const c = compareLogins(fresh);
    expect(ratiosOf(c)).toEqual([
      ["W2 logins/s ÷ raw hash limit", "DIFFERS"],
      ["login floor ÷ raw hash limit", "host"],
      ["W2 logins/s ÷ login floor", "DIFFERS"],
    ]);
  });

  it("calls a lower W2 ÷ raw a difference when the bare login did not fall", () => {
    const fresh = run([logins(0.86, 0.8), logins(0.85, 0.79), logins(0.86, 0.8)]);
    const c = compareLogins(fresh);
    expect(c.figures.find((f) => f.label === "W2 logins/s ÷ raw hash limit")?.status).toBe("DIFFERS");
  });

  it("leaves out what either run did not measure", () => {
    const fresh = run([{ "w1.1p.ratio": 1.1, "hash.raw": 80 }]);
    fresh.web = null;
    const c = compareRuns(fresh, { file: "results/x.json", report: committed, all: [] });
    expect(c.figures.map((f) => f.label)).toEqual(["W1 ÷ SELECT floor, 1 process"]);
  });

  it("does not compare a run on PGlite with one on PostgreSQL", () => {
    const fresh = run([figures(1, 1.1, 0.8, 400)], { database: PGLITE });
    const c = compareRuns(fresh, { file: "results/x.json", report: committed, all: [] });
    expect(c.notComparable).toBe("the committed run used PostgreSQL, this one PGlite");
    expect(c.figures).toEqual([]);
    expect(comparisonLines(c)).toEqual([
      "against the committed summary (bench/results/x.json, Intel Xeon):",
      "  not compared: the committed run used PostgreSQL, this one PGlite",
    ]);
  });
});

describe("similarHosts", () => {
  it("lists committed runs on the same database from hosts within 20 % of this one's speed, newest first", () => {
    const fresh = run([figures(2, 1.1, 0.8)]);
    const saved = [
      { file: "results/2026-01-01-0000.json", report: run([figures(1.9, 1, 0.8)], { cpuModel: "A" }) },
      {
        file: "results/2026-01-03-0000.json",
        report: run([figures(2.3, 1, 0.8)], { cpuModel: "B", revision: "0123456789ab" }),
      },
      { file: "results/2026-01-02-0000.json", report: run([figures(1, 1, 0.8)], { cpuModel: "slow" }) },
      { file: "results/2026-01-04-0000.json", report: run([figures(2, 1, 0.8)], { database: PGLITE }) },
      { file: "results/2026-01-05-0000.json", report: run([figures(2.6, 1, 0.8)], { cpuModel: "fast" }) },
    ];
    const similar = similarHosts(fresh, saved);
    expect(similar).toEqual([
      { file: "results/2026-01-03-0000.json", cpuModel: "B", rawVerifiesPerSecond: 184, revision: "0123456789ab" },
      { file: "results/2026-01-01-0000.json", cpuModel: "A", rawVerifiesPerSecond: 152, revision: null },
    ]);
    const committed = run([figures(2, 1.1, 0.8)]);
    const lines = comparisonLines(compareRuns(fresh, { file: "results/x.json", report: committed, all: saved }));
    expect(lines.at(-1)).toBe(
      "  committed runs from hosts within 20 % of this one's speed, to compare requests/s and latencies with: " +
        "bench/results/2026-01-03-0000.json (B, 184.0 raw verifies/s, tsbin 0123456789ab), " +
        "bench/results/2026-01-01-0000.json (A, 152.0 raw verifies/s)",
    );
  });

  it("needs both the hashing and the SELECT floor to be alike", () => {
    const fresh = run([figures(2, 1.1, 0.8)]);
    const lopsided = run([{ ...figures(2, 1, 0.8), "w0.select.1p.rps": 8_000 }]);
    expect(similarHosts(fresh, [{ file: "results/a.json", report: lopsided }])).toEqual([]);
  });
});

describe("readCommitted", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function saveRun(file: string, report: ComparableRun): void {
    writeFileSync(path.join(dir, file), JSON.stringify(report));
  }

  it("reads the run RESULTS.md names and every saved run beside it", () => {
    dir = mkdtempSync(path.join(tmpdir(), "tsbin-compare-"));
    mkdirSync(path.join(dir, "results"));
    saveRun("results/2026-01-01-0000.json", run([figures(1, 1, 0.8)], { cpuModel: "old" }));
    saveRun("results/2026-01-02-0000.json", run([figures(1, 1, 0.8)], { cpuModel: "named" }));
    writeFileSync(path.join(dir, "results", "notes.json"), "{}");
    writeFileSync(
      path.join(dir, "RESULTS.md"),
      "# tsbin benchmark\n\nProduced by `pnpm bench`; raw figures in [`results/2026-01-02-0000.json`](results/2026-01-02-0000.json).\n",
    );
    const committed = readCommitted(dir);
    expect(committed?.file).toBe("results/2026-01-02-0000.json");
    expect(committed?.report.machine.cpuModel).toBe("named");
    expect(committed?.all.map((entry) => entry.file).sort()).toEqual([
      "results/2026-01-01-0000.json",
      "results/2026-01-02-0000.json",
    ]);
  });

  it("gives nothing when there is no summary, or it names a file that is not there", () => {
    dir = mkdtempSync(path.join(tmpdir(), "tsbin-compare-"));
    mkdirSync(path.join(dir, "results"));
    expect(readCommitted(dir)).toBeNull();
    writeFileSync(path.join(dir, "RESULTS.md"), "raw figures in [`results/x.json`](results/2026-01-09-0000.json)\n");
    expect(readCommitted(dir)).toBeNull();
  });
});

describe("committedResultsFile", () => {
  it("reads the link the summary's first paragraph carries", () => {
    expect(committedResultsFile("raw figures in [`results/2026-11-26-2215.json`](results/2026-11-26-2215.json).")).toBe(
      "results/2026-11-26-2215.json",
    );
    expect(committedResultsFile("no link here")).toBeNull();
  });
});

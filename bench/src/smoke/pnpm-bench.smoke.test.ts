/**
 * `pnpm bench` end to end, in its quick mode: the API built and started as `pnpm start` runs it, the
 * database seeded, every workload run against it with autocannon. It asserts that the benchmark runs
 * through, reports every figure and a verdict for every target, computes each ratio within one run,
 * and that the API answered every request of every workload with a 2xx. No figure is compared with a
 * threshold: the benchmark reports speed, this test keeps it able to.
 *
 * Not part of `pnpm test`: it loads both cores for a minute or two, which would disturb the suites
 * running beside it. CI runs it on its own after them (`pnpm --filter @tsbin/bench smoke`), against
 * DATABASE_URL's server, or PGlite when unset.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BENCH_DIR } from "../config.ts";
import { committedResultsFile, type Comparison } from "../compare.ts";
import type { Figures, TargetResult } from "../report.ts";

interface SavedReport {
  settings: { database: string };
  runs: Figures[];
  targets: TargetResult[];
  web: { gzipBytes: number } | null;
  notes: string[];
  comparison: Comparison | null;
}

const BENCH_MAIN = path.join(BENCH_DIR, "src", "main.ts");
const onPostgres = Boolean(process.env.DATABASE_URL);
/** W0 and W1 run at 1 and 2 processes on PostgreSQL; PGlite lives inside one process. */
const processCounts = onPostgres ? ["1p", "2p"] : ["1p"];

const dir = mkdtempSync(path.join(tmpdir(), "tsbin-bench-smoke-"));
const reportFile = path.join(dir, "report.json");
let exitCode: number | null = null;
let output = "";
let report: SavedReport;

beforeAll(async () => {
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", BENCH_MAIN, "--quick", "--no-save", "--report-json", reportFile],
      { cwd: BENCH_DIR, env: outsideVitest(process.env), timeout: 540_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
  exitCode = result.code;
  output = result.stdout;
  if (exitCode !== 0) throw new Error(`pnpm bench --quick exited ${String(exitCode)}:\n${result.stderr.slice(-4000)}`);
  report = JSON.parse(readFileSync(reportFile, "utf8")) as SavedReport;
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The only run's figure `key`, which must have been measured. */
function figure(key: string): number {
  const value = report.runs[0]?.[key];
  if (typeof value !== "number") throw new Error(`figure ${key} was not measured (${String(value)})`);
  return value;
}

describe("pnpm bench --quick", () => {
  it("runs through on the database it was given and reports one run", () => {
    expect(exitCode).toBe(0);
    expect(report.settings.database).toMatch(onPostgres ? /DATABASE_URL/u : /PGlite/u);
    expect(report.runs).toHaveLength(1);
  });

  it("measures every workload the issue names", () => {
    const keys = [
      "hash.raw",
      "w0.login.rps",
      "w2.rps",
      "w2.mainCpuUsPerReq",
      "w3.stream.p99",
      "w3.storm.rps",
      "w4.rps",
      ...processCounts.flatMap((n) => [
        `w0.bare.${n}.rps`,
        `w0.select.${n}.rps`,
        `w1.${n}.rps`,
        `w1.${n}.p50`,
        `w1.${n}.p99`,
      ]),
      ...["w2", "w3", "w4", ...processCounts.map((n) => `w1.${n}`)].map((w) => `${w}.rssMb`),
    ];
    for (const key of keys) expect(figure(key), key).toBeGreaterThan(0);
    expect(report.web?.gzipBytes).toBeGreaterThan(0);
  });

  it("puts the kernel's part of the machine's CPU beside the whole, for a verify and for a login", () => {
    for (const [kernel, whole] of [
      ["hash.raw.machineKernelUs", "hash.raw.machineCpuUs"],
      ["w0.login.machineKernelUsPerReq", "w0.login.machineCpuUsPerReq"],
      ["w2.machineKernelUsPerReq", "w2.machineCpuUsPerReq"],
    ] as const) {
      expect(figure(kernel), kernel).toBeGreaterThan(0);
      expect(figure(kernel), kernel).toBeLessThan(figure(whole));
    }
  });

  it("computes every ratio from figures of the same run", () => {
    for (const n of processCounts) {
      expect(figure(`w1.${n}.ratio`)).toBeCloseTo(figure(`w1.${n}.rps`) / figure(`w0.select.${n}.rps`), 9);
    }
    expect(figure("w2.ratio")).toBeCloseTo(figure("w2.rps") / figure("hash.raw"), 9);
    expect(figure("w2.floorRatio")).toBeCloseTo(figure("w2.rps") / figure("w0.login.rps"), 9);
    expect(figure("w0.login.ratio")).toBeCloseTo(figure("w0.login.rps") / figure("hash.raw"), 9);
  });

  it("gives every target a verdict, in the report and in the printed table", () => {
    const names = report.targets.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "W1 ≥ 70 % of the SELECT floor, 1 process",
        "W1 p99 at 64 connections, 1 process",
        "W2 logins/s ≥ 95 % of the raw hash limit",
        "W3 auth.me p99 during a login storm",
        "API peak RSS under every workload",
        "Login route JavaScript, gzipped",
      ]),
    );
    if (onPostgres) expect(names).toContain("W1 ≥ 70 % of the SELECT floor, 2 processes");
    for (const target of report.targets) {
      expect(target.met, target.name).not.toBeNull();
      const printed = output.split("\n").find((line) => line.includes(target.name));
      expect(printed?.trim(), target.name).toMatch(/^(MET|MISSED) /u);
    }
  });

  it("compares its figures with the committed summary's", () => {
    const committed = committedResultsFile(readFileSync(path.join(BENCH_DIR, "RESULTS.md"), "utf8"));
    expect(committed).not.toBeNull();
    expect(report.comparison?.against).toBe(committed);
    expect(output).toContain(`against the committed summary (bench/${String(committed)}, `);
    if (!onPostgres) {
      expect(report.comparison?.notComparable).toBe("the committed run used PostgreSQL, this one PGlite");
      return;
    }
    const compared = new Map(report.comparison?.figures.map((f) => [f.label, f]));
    expect(compared.get("W1 ÷ SELECT floor, 1 process")?.fresh.median).toBe(figure("w1.1p.ratio"));
    expect(compared.get("W2 logins/s ÷ raw hash limit")?.fresh.median).toBe(figure("w2.ratio"));
    expect(compared.get("login route JavaScript, gzipped")?.fresh.median).toBe((report.web?.gzipBytes ?? 0) / 1000);
    for (const f of report.comparison?.figures ?? []) {
      const printed = output.split("\n").find((line) => line.includes(`${f.label} `) && line.includes("committed"));
      expect(printed?.trim(), f.label).toMatch(new RegExp(`^${f.status} `, "u"));
    }
  });

  it("gets a 2xx answer to every request of every workload", () => {
    const errorKeys = Object.keys(report.runs[0] ?? {}).filter((key) => key.endsWith(".errors"));
    expect(errorKeys).toEqual(expect.arrayContaining(["w1.1p.errors", "w2.errors", "w3.stream.errors", "w4.errors"]));
    for (const key of errorKeys) expect(figure(key), key).toBe(0);
    expect(report.notes.filter((note) => note.includes("non-2xx"))).toEqual([]);
  });
});

/**
 * The environment without what Vitest adds to it (NODE_ENV=test, MODE, DEV, SSR, BASE_URL, …), which
 * would otherwise reach the SPA's Vite build: the benchmark runs as `pnpm bench` would.
 */
function outsideVitest(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const added = new Set(["TEST", "NODE_ENV", "PROD", "DEV", "BASE_URL", "MODE", "SSR"]);
  return Object.fromEntries(Object.entries(env).filter(([key]) => !added.has(key) && !key.startsWith("VITEST")));
}

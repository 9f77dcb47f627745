/**
 * How a fresh run compares with the committed summary (the run `bench/RESULTS.md` was written from).
 * Requests per second and latencies follow the host's speed, which differs from machine to machine, so
 * the comparison is made on what does not: the ratios (each computed within one run), the API's peak
 * memory, the login route's JavaScript and the targets' verdicts. A figure matches when its runs' range
 * and the committed runs' range overlap, or lie within a tolerance of each other: the committed runs'
 * own spread is the noise a fresh run is judged by.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fmt, RSS_KEYS, type Figures, type TargetResult } from "./report.ts";
import { median, ratio } from "./stats.ts";

/** The parts of a report, fresh or saved as `results/<stamp>.json`, that a comparison reads. */
export interface ComparableRun {
  machine: { cpuModel: string };
  settings: Record<string, unknown>;
  runs: Figures[];
  medians: Figures;
  web: { gzipBytes: number } | null;
  targets: TargetResult[];
  /** `versions.tsbin`, the commit measured, in results written since it was recorded. */
  versions?: Record<string, string>;
}

export interface Spread {
  median: number;
  low: number;
  high: number;
}

/**
 * `same`: within noise of the committed runs. `host`: outside it, but as a property of the host (a
 * figure of the floor alone, or a ratio that moved with the floor while tsbin's share of it did not).
 * `DIFFERS`: outside it for a reason the comparison cannot put down to the host.
 */
export type FigureStatus = "same" | "host" | "DIFFERS";

export interface FigureComparison {
  label: string;
  unit: string;
  digits: number;
  fresh: Spread;
  committed: Spread;
  status: FigureStatus;
  /** Why a figure is put down to the host, or null. */
  note: string | null;
}

export interface VerdictDifference {
  target: string;
  fresh: boolean | null;
  committed: boolean | null;
}

export interface Comparison {
  /** The committed results file, relative to bench/. */
  against: string;
  cpuModel: string;
  /** Why the runs cannot be compared (e.g. one on PGlite, one on PostgreSQL), or null. */
  notComparable: string | null;
  /** This host's speed against the committed run's: raw verifies/s and SELECT floor req/s, fresh ÷ committed. */
  hostSpeed: { hashing: number | null; selectFloor: number | null };
  figures: FigureComparison[];
  verdictDifferences: VerdictDifference[];
  /** Other committed runs from a host within 20 % of this one's speed, newest first (files relative to bench/). */
  similarHosts: { file: string; cpuModel: string; rawVerifiesPerSecond: number; revision: string | null }[];
}

interface Compared {
  label: string;
  unit: string;
  digits: number;
  /**
   * The figure of one run, or null when that run did not measure it. `shared` holds the figures both
   * runs' medians have, for a figure made of several (a run of some workloads only lacks the others').
   */
  value: (run: Figures, report: ComparableRun, shared: ReadonlySet<string>) => number | null;
  /** Measured on the floor server alone: how far the bare login gets depends on the host, not on tsbin. */
  ofTheHost?: true;
  /**
   * A product of a host figure and tsbin's share of it (W2 ÷ raw = login floor ÷ raw × W2 ÷ login
   * floor): when it moves, but tsbin's share does not while the host figure does, the host moved it.
   */
  product?: { hostFigure: string; tsbinShare: string };
}

function key(name: string): (run: Figures) => number | null {
  return (run) => run[name] ?? null;
}

const LOGIN_FLOOR_SHARE = "login floor ÷ raw hash limit";
const W2_FLOOR_SHARE = "W2 logins/s ÷ login floor";

/**
 * Figures that do not depend on the host's speed. Two depend on the host in another way: how much of
 * the raw hash rate a bare login keeps depends on how dear HTTP and PostgreSQL are next to a hash there
 * (0.73 to 0.96 on the hosts measured so far), and W2 ÷ raw moves with it.
 */
const COMPARED: Compared[] = [
  { label: "W1 ÷ SELECT floor, 1 process", unit: "×", digits: 2, value: key("w1.1p.ratio") },
  { label: "W1 ÷ SELECT floor, 2 processes", unit: "×", digits: 2, value: key("w1.2p.ratio") },
  {
    label: "W2 logins/s ÷ raw hash limit",
    unit: "×",
    digits: 2,
    value: key("w2.ratio"),
    product: { hostFigure: LOGIN_FLOOR_SHARE, tsbinShare: W2_FLOOR_SHARE },
  },
  { label: LOGIN_FLOOR_SHARE, unit: "×", digits: 2, value: key("w0.login.ratio"), ofTheHost: true },
  { label: W2_FLOOR_SHARE, unit: "×", digits: 2, value: key("w2.floorRatio") },
  {
    label: "API peak RSS, any workload",
    unit: "MB",
    digits: 0,
    value: (run, _report, shared) => {
      const values = RSS_KEYS.filter((k) => shared.has(k))
        .map((k) => run[k])
        .filter((v): v is number => typeof v === "number");
      return values.length > 0 ? Math.max(...values) : null;
    },
  },
  {
    label: "login route JavaScript, gzipped",
    unit: "kB",
    digits: 1,
    value: (_run, report) => (report.web ? report.web.gzipBytes / 1000 : null),
  },
];

/** How far apart two ranges may lie and still match, as a share of the committed median. */
const TOLERANCE = 0.05;
/** How close another host's speed must be to this one's to be listed as similar. */
const SIMILAR_HOST = 0.2;

function spread(values: readonly number[]): Spread | null {
  const middle = median(values);
  if (middle === null) return null;
  return { median: middle, low: Math.min(...values), high: Math.max(...values) };
}

function spreadOf(report: ComparableRun, figure: Compared, shared: ReadonlySet<string>): Spread | null {
  return spread(report.runs.map((run) => figure.value(run, report, shared)).filter((v): v is number => v !== null));
}

/** The figures both runs measured (a median that is a number in each). */
function measuredInBoth(fresh: ComparableRun, committed: ComparableRun): Set<string> {
  const measured = (report: ComparableRun) =>
    Object.keys(report.medians).filter((key) => typeof report.medians[key] === "number");
  const inCommitted = new Set(measured(committed));
  return new Set(measured(fresh).filter((key) => inCommitted.has(key)));
}

/** True when the two ranges overlap or lie within `TOLERANCE` of the committed median of each other. */
export function withinNoise(fresh: Spread, committed: Spread): boolean {
  const gap = Math.max(fresh.low, committed.low) - Math.min(fresh.high, committed.high);
  return gap <= TOLERANCE * Math.abs(committed.median);
}

function onPglite(report: ComparableRun): boolean {
  const database = report.settings.database;
  return typeof database === "string" && database.includes("PGlite");
}

function speed(fresh: ComparableRun, other: ComparableRun, figure: string): number | null {
  return ratio(fresh.medians[figure] ?? null, other.medians[figure] ?? null);
}

/** A saved run and its file, relative to bench/. */
export interface SavedRun {
  file: string;
  report: ComparableRun;
}

/** What `readCommitted` finds: the run `RESULTS.md` names, and every saved run (it included). */
export interface CommittedRuns extends SavedRun {
  all: SavedRun[];
}

function compareFigures(fresh: ComparableRun, committed: ComparableRun): FigureComparison[] {
  const shared = measuredInBoth(fresh, committed);
  const measured = COMPARED.flatMap((figure) => {
    const freshSpread = spreadOf(fresh, figure, shared);
    const committedSpread = spreadOf(committed, figure, shared);
    if (!freshSpread || !committedSpread) return [];
    return [
      { figure, fresh: freshSpread, committed: committedSpread, same: withinNoise(freshSpread, committedSpread) },
    ];
  });
  const sameByLabel = new Map(measured.map((m) => [m.figure.label, m.same]));
  return measured.map(({ figure, fresh: freshSpread, committed: committedSpread, same }) => ({
    label: figure.label,
    unit: figure.unit,
    digits: figure.digits,
    fresh: freshSpread,
    committed: committedSpread,
    ...statusOf(figure, same, sameByLabel),
  }));
}

function statusOf(
  figure: Compared,
  same: boolean,
  sameByLabel: ReadonlyMap<string, boolean>,
): Pick<FigureComparison, "status" | "note"> {
  if (same) return { status: "same", note: null };
  if (figure.ofTheHost) {
    return { status: "host", note: "the bare login on the floor server, no tsbin code: the host's own figure" };
  }
  const { product } = figure;
  if (product && sameByLabel.get(product.hostFigure) === false && sameByLabel.get(product.tsbinShare) === true) {
    return {
      status: "host",
      note: `it moved with the ${product.hostFigure}; the ${product.tsbinShare}, tsbin's own part, is the same`,
    };
  }
  return { status: "DIFFERS", note: null };
}

export function compareRuns(fresh: ComparableRun, committedRuns: CommittedRuns): Comparison {
  const { file: against, report: committed } = committedRuns;
  const notComparable =
    onPglite(fresh) === onPglite(committed)
      ? null
      : `the committed run used ${onPglite(committed) ? "PGlite" : "PostgreSQL"}, this one ${onPglite(fresh) ? "PGlite" : "PostgreSQL"}`;
  const figures = notComparable === null ? compareFigures(fresh, committed) : [];
  const committedVerdicts = new Map(committed.targets.map((t) => [t.name, t.met]));
  const verdictDifferences: VerdictDifference[] = [];
  for (const target of fresh.targets) {
    const before = committedVerdicts.get(target.name);
    if (before === undefined || target.met === null || before === null || before === target.met) continue;
    verdictDifferences.push({ target: target.name, fresh: target.met, committed: before });
  }
  return {
    against,
    cpuModel: committed.machine.cpuModel,
    notComparable,
    hostSpeed: {
      hashing: speed(fresh, committed, "hash.raw"),
      selectFloor: speed(fresh, committed, "w0.select.1p.rps"),
    },
    figures,
    verdictDifferences: notComparable === null ? verdictDifferences : [],
    similarHosts: similarHosts(fresh, committedRuns.all),
  };
}

/** The results file `bench/RESULTS.md` links to ("raw figures in [results/<stamp>.json](...)"), or null. */
export function committedResultsFile(resultsMarkdown: string): string | null {
  return /\]\((results\/[0-9-]+\.json)\)/u.exec(resultsMarkdown)?.[1] ?? null;
}

/** Committed runs whose host hashes and serves within 20 % of this one's speed, newest first. */
export function similarHosts(fresh: ComparableRun, saved: readonly SavedRun[]): Comparison["similarHosts"] {
  const close = (value: number | null): boolean =>
    value !== null && Math.abs(Math.log(value)) <= Math.log(1 + SIMILAR_HOST);
  return saved
    .filter(
      ({ report }) =>
        onPglite(report) === onPglite(fresh) &&
        close(speed(fresh, report, "hash.raw")) &&
        close(speed(fresh, report, "w0.select.1p.rps")),
    )
    .sort((a, b) => b.file.localeCompare(a.file))
    .slice(0, 3)
    .map(({ file, report }) => ({
      file,
      cpuModel: report.machine.cpuModel,
      rawVerifiesPerSecond: report.medians["hash.raw"] ?? 0,
      revision: report.versions?.tsbin ?? null,
    }));
}

function readRun(file: string): ComparableRun | null {
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as Partial<ComparableRun>;
    if (!Array.isArray(saved.runs) || !saved.medians || !saved.machine || !saved.settings) return null;
    return { web: null, targets: [], ...saved } as ComparableRun;
  } catch {
    return null;
  }
}

/**
 * The committed runs, read before this run writes its own: the one `RESULTS.md` names and every
 * `results/*.json`. Null when the summary or its file is missing (e.g. a trimmed checkout).
 */
export function readCommitted(benchDir: string): CommittedRuns | null {
  const summary = path.join(benchDir, "RESULTS.md");
  if (!existsSync(summary)) return null;
  const file = committedResultsFile(readFileSync(summary, "utf8"));
  const report = file ? readRun(path.join(benchDir, file)) : null;
  if (!file || !report) return null;
  const dir = path.join(benchDir, "results");
  const all = readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => ({ file: `results/${name}`, report: readRun(path.join(dir, name)) }))
    .filter((entry): entry is SavedRun => entry.report !== null);
  return { file, report, all };
}

function shownSpread(s: Spread, digits: number): string {
  const median = fmt(s.median, digits);
  return s.low === s.high ? median : `${median} (${fmt(s.low, digits)}–${fmt(s.high, digits)})`;
}

function times(value: number | null): string {
  return value === null ? "–" : `${value.toFixed(2)}×`;
}

function verdictWord(met: boolean | null): string {
  return met === null ? "not measured" : met ? "met" : "missed";
}

/** The lines `pnpm bench` prints under its targets. */
export function comparisonLines(c: Comparison): string[] {
  const lines = [`against the committed summary (bench/${c.against}, ${c.cpuModel}):`];
  if (c.notComparable) {
    lines.push(`  not compared: ${c.notComparable}`);
    return lines;
  }
  lines.push(
    `  this host hashes at ${times(c.hostSpeed.hashing)} and serves the SELECT floor at ${times(c.hostSpeed.selectFloor)} the committed run's speed; ` +
      `requests/s and latencies follow the host, the figures below do not (runs' range in brackets; "same" = ranges within ${TOLERANCE * 100} % of each other; ` +
      `"host" = outside that, as a property of the host rather than of tsbin)`,
  );
  const width = Math.max(0, ...c.figures.map((f) => f.label.length));
  for (const f of c.figures) {
    lines.push(
      `  ${f.status.padEnd(8)}${f.label.padEnd(width)}  ${shownSpread(f.fresh, f.digits)} ${f.unit}, committed ${shownSpread(f.committed, f.digits)} ${f.unit}${f.note ? `: ${f.note}` : ""}`,
    );
  }
  if (c.verdictDifferences.length === 0) {
    lines.push("  same    verdicts for every target measured in both");
  } else {
    for (const d of c.verdictDifferences) {
      lines.push(
        `  DIFFERS verdict: ${d.target}: ${verdictWord(d.fresh)} here, ${verdictWord(d.committed)} in the committed run`,
      );
    }
  }
  if (c.similarHosts.length > 0) {
    const hosts = c.similarHosts.map(
      (h) =>
        `bench/${h.file} (${h.cpuModel}, ${h.rawVerifiesPerSecond.toFixed(1)} raw verifies/s${h.revision ? `, tsbin ${h.revision}` : ""})`,
    );
    lines.push(
      `  committed runs from hosts within 20 % of this one's speed, to compare requests/s and latencies with: ${hosts.join(", ")}`,
    );
  } else {
    lines.push("  no committed run comes from a host within 20 % of this one's speed");
  }
  return lines;
}

/** Medians, targets, the printed table and the result files (JSON, markdown, bench/RESULTS.md). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { API_NODE_FLAGS, BENCH_DIR, REPO_ROOT } from "./config.ts";
import type { MachineInfo } from "./machine.ts";
import { run } from "./processes.ts";
import { median } from "./stats.ts";
import { DEFAULT_SETTLE } from "./settle.ts";
import type { WebSize } from "./web-size.ts";

/** One run's figures, flat: `w1.1p.rps`, `w2.ratio`, ... (null when not measured). */
export type Figures = Record<string, number | null>;

export interface ReportInput {
  date: Date;
  label: string | null;
  machine: MachineInfo;
  versions: Record<string, string>;
  settings: Record<string, unknown>;
  runs: Figures[];
  web: WebSize | null;
  webNote: string | null;
  notes: string[];
  elapsedSeconds: number;
}

interface Row {
  key: string;
  label: string;
  unit: string;
  digits: number;
}

export interface TargetResult {
  name: string;
  /** The measured value (median) in the target's unit, or null when not measured. */
  value: number | null;
  limit: string;
  /** null when the workload was not run (e.g. `--workloads w1`). */
  met: boolean | null;
  reason?: string;
}

export interface Report extends ReportInput {
  medians: Figures;
  rows: (Row & { median: number | null; values: (number | null)[] })[];
  targets: TargetResult[];
}

const ROWS: Row[] = [
  {
    key: "hash.raw",
    label: "raw hash limit: argon2id verifies/s (all cores, nothing else under load)",
    unit: "/s",
    digits: 1,
  },
  { key: "hash.raw.before", label: "raw hash limit, measured before the workloads", unit: "/s", digits: 1 },
  { key: "hash.raw.after", label: "raw hash limit, measured right after W2", unit: "/s", digits: 1 },
  {
    key: "hash.raw.machineCpuUs",
    label: "raw hash limit: the machine's busy CPU per verify (kernel included)",
    unit: "µs",
    digits: 0,
  },
  {
    key: "hash.raw.machineKernelUs",
    label: "raw hash limit: of that, the kernel's CPU per verify",
    unit: "µs",
    digits: 0,
  },
  { key: "hash.raw.busy", label: "raw hash limit: share of the cores busy", unit: "×", digits: 2 },
  { key: "hash.raw.low", label: "raw hash limit, slowest of its segments", unit: "/s", digits: 1 },
  { key: "hash.raw.high", label: "raw hash limit, fastest of its segments", unit: "/s", digits: 1 },
  { key: "w0.bare.1p.rps", label: "W0 bare Hono, 1 process", unit: "req/s", digits: 0 },
  { key: "w0.bare.2p.rps", label: "W0 bare Hono, 2 processes", unit: "req/s", digits: 0 },
  { key: "w0.select.1p.rps", label: "W0 Hono + one PK SELECT (the API's driver), 1 process", unit: "req/s", digits: 0 },
  { key: "w0.select.1p.p99", label: "W0 SELECT floor p99, 1 process", unit: "ms", digits: 1 },
  { key: "w0.select.1p.cpuUsPerReq", label: "W0 SELECT floor CPU per request, 1 process", unit: "µs", digits: 0 },
  {
    key: "w0.select.2p.rps",
    label: "W0 Hono + one PK SELECT (the API's driver), 2 processes",
    unit: "req/s",
    digits: 0,
  },
  { key: "w0.select.2p.p99", label: "W0 SELECT floor p99, 2 processes", unit: "ms", digits: 1 },
  { key: "w0.select.2p.cpuUsPerReq", label: "W0 SELECT floor CPU per request, 2 processes", unit: "µs", digits: 0 },
  { key: "w0.login.rps", label: "W0 login floor: Hono + 1 SELECT + hash + 1 INSERT, 1 process", unit: "/s", digits: 1 },
  { key: "w0.login.ratio", label: "W0 login floor ÷ raw hash limit", unit: "×", digits: 2 },
  { key: "w0.login.cpuUsPerReq", label: "W0 login floor CPU per login (hashing included)", unit: "µs", digits: 0 },
  { key: "w0.login.mainCpuUsPerReq", label: "W0 login floor event-loop CPU per login", unit: "µs", digits: 0 },
  { key: "w0.login.pgCpuUsPerReq", label: "W0 login floor PostgreSQL CPU per login", unit: "µs", digits: 0 },
  {
    key: "w0.login.machineCpuUsPerReq",
    label: "W0 login floor: the machine's busy CPU per login (every process, kernel)",
    unit: "µs",
    digits: 0,
  },
  {
    key: "w0.login.machineKernelUsPerReq",
    label: "W0 login floor: of that, the kernel's CPU per login",
    unit: "µs",
    digits: 0,
  },
  { key: "w0.login.busy", label: "W0 login floor: share of the cores busy", unit: "×", digits: 2 },
  { key: "w1.1p.rps", label: "W1 auth.me, 1 process", unit: "req/s", digits: 0 },
  { key: "w1.1p.p50", label: "W1 auth.me p50, 1 process", unit: "ms", digits: 1 },
  { key: "w1.1p.p99", label: "W1 auth.me p99, 1 process", unit: "ms", digits: 1 },
  { key: "w1.1p.ratio", label: "W1 ÷ SELECT floor (interleaved), 1 process", unit: "×", digits: 2 },
  { key: "w1.1p.cpuUsPerReq", label: "W1 API CPU per request, 1 process", unit: "µs", digits: 0 },
  { key: "w1.2p.rps", label: "W1 auth.me, 2 processes", unit: "req/s", digits: 0 },
  { key: "w1.2p.p50", label: "W1 auth.me p50, 2 processes", unit: "ms", digits: 1 },
  { key: "w1.2p.p99", label: "W1 auth.me p99, 2 processes", unit: "ms", digits: 1 },
  { key: "w1.2p.ratio", label: "W1 ÷ SELECT floor (interleaved), 2 processes", unit: "×", digits: 2 },
  { key: "w1.2p.cpuUsPerReq", label: "W1 API CPU per request, 2 processes", unit: "µs", digits: 0 },
  { key: "w2.rps", label: "W2 logins/s", unit: "/s", digits: 1 },
  { key: "w2.p99", label: "W2 login p99", unit: "ms", digits: 0 },
  { key: "w2.ratio", label: "W2 logins/s ÷ raw hash limit", unit: "×", digits: 2 },
  { key: "w2.floorRatio", label: "W2 logins/s ÷ login floor", unit: "×", digits: 2 },
  { key: "w2.cpuUsPerReq", label: "W2 API CPU per login (hashing included)", unit: "µs", digits: 0 },
  { key: "w2.mainCpuUsPerReq", label: "W2 API event-loop CPU per login", unit: "µs", digits: 0 },
  { key: "w2.pgCpuUsPerReq", label: "W2 PostgreSQL CPU per login", unit: "µs", digits: 0 },
  {
    key: "w2.machineCpuUsPerReq",
    label: "W2: the machine's busy CPU per login (every process, kernel)",
    unit: "µs",
    digits: 0,
  },
  {
    key: "w2.machineKernelUsPerReq",
    label: "W2: of that, the kernel's CPU per login",
    unit: "µs",
    digits: 0,
  },
  { key: "w2.busy", label: "W2: share of the cores busy", unit: "×", digits: 2 },
  { key: "w3.stream.p50", label: "W3 auth.me p50 during the login storm", unit: "ms", digits: 1 },
  { key: "w3.stream.p99", label: "W3 auth.me p99 during the login storm", unit: "ms", digits: 1 },
  { key: "w3.storm.rps", label: "W3 logins/s during the stream", unit: "/s", digits: 1 },
  { key: "w4.rps", label: "W4 sign-ups/s", unit: "/s", digits: 1 },
  { key: "w4.p99", label: "W4 sign-up p99", unit: "ms", digits: 0 },
  { key: "w1.1p.rssMb", label: "API peak RSS, W1 1 process", unit: "MB", digits: 0 },
  { key: "w1.2p.rssMb", label: "API peak RSS, W1 2 processes (largest process)", unit: "MB", digits: 0 },
  { key: "w2.rssMb", label: "API peak RSS, W2", unit: "MB", digits: 0 },
  { key: "w3.rssMb", label: "API peak RSS, W3", unit: "MB", digits: 0 },
  { key: "w4.rssMb", label: "API peak RSS, W4", unit: "MB", digits: 0 },
  { key: "loadAverage", label: "1-min load average when the run started (noise from others)", unit: "", digits: 2 },
];

/** The peak-RSS figures of every workload; the RSS target holds for their largest. */
export const RSS_KEYS = ["w1.1p.rssMb", "w1.2p.rssMb", "w2.rssMb", "w3.rssMb", "w4.rssMb"];
const LOGIN_JS_LIMIT = 150_000;

function atMost(name: string, value: number | null, limit: number, unit: string): TargetResult {
  return {
    name,
    value,
    limit: `≤ ${limit} ${unit}`,
    met: value === null ? null : value <= limit,
    ...(value === null ? { reason: "not measured" } : {}),
  };
}

function atLeast(name: string, value: number | null, limit: number): TargetResult {
  return {
    name,
    value,
    limit: `≥ ${(limit * 100).toFixed(0)} %`,
    met: value === null ? null : value >= limit,
    ...(value === null ? { reason: "not measured" } : {}),
  };
}

/**
 * Why W2 lands where it does. Logins/s ÷ verifies/s is (CPU per verify ÷ CPU per login) × (busy share
 * in W2 ÷ busy share in the raw limit), all of it the whole machine's CPU: the first factor is what a
 * login costs beyond its hash, the second how fully each kept the cores busy.
 */
export function explainLoginRatio(m: (key: string) => number | null): string | null {
  const floor = m("w0.login.ratio");
  const parts: string[] = [];
  if (floor !== null) {
    const w2OfFloor = m("w2.floorRatio");
    parts.push(
      `the login floor (one SELECT, one hash, one INSERT) reaches ${(floor * 100).toFixed(1)} % here` +
        (w2OfFloor === null ? "" : `; W2 = ${(w2OfFloor * 100).toFixed(1)} % of it`),
    );
  }
  const verify = m("hash.raw.machineCpuUs");
  const login = m("w2.machineCpuUsPerReq");
  const rawBusy = m("hash.raw.busy");
  const w2Busy = m("w2.busy");
  if (verify !== null && login !== null && rawBusy !== null && w2Busy !== null && verify > 0 && rawBusy > 0) {
    const floorLogin = m("w0.login.machineCpuUsPerReq");
    const allowed = (verify * w2Busy) / (rawBusy * 0.95);
    const us = (value: number) => Math.round(value).toLocaleString("en");
    const verifyKernel = m("hash.raw.machineKernelUs");
    const loginKernel = m("w2.machineKernelUsPerReq");
    parts.push(
      `a W2 login took ${(login / verify).toFixed(2)}× the machine CPU of one raw verify ` +
        `(${us(login)} against ${us(verify)} µs` +
        (verifyKernel === null || loginKernel === null
          ? ""
          : `, of which the kernel's ${us(loginKernel)} against ${us(verifyKernel)} µs`) +
        (floorLogin === null ? "" : `; the login floor ${(floorLogin / verify).toFixed(2)}×`) +
        `), with the cores ${(w2Busy * 100).toFixed(0)} % busy against ${(rawBusy * 100).toFixed(0)} %; ` +
        `95 % allows at most ${us(allowed)} µs per login`,
    );
  }
  return parts.length ? parts.join("; ") : null;
}

/**
 * W1's p99 beside its floor's. At 64 connections a request's latency is mostly its wait for the two
 * cores that the load generator, the server and PostgreSQL share, so the 25 ms line moves with the
 * host's speed: where even the SELECT floor's p99 is above it, the verdict says so.
 */
export function explainW1Latency(m: (key: string) => number | null, procs: number): string | null {
  const floor = m(`w0.select.${procs}p.p99`);
  if (floor === null || m(`w1.${procs}p.p99`) === null) return null;
  return `the SELECT floor's own p99 here: ${floor.toFixed(1)} ms`;
}

export function buildReport(input: ReportInput): Report {
  const keys = new Set(input.runs.flatMap((r) => Object.keys(r)));
  const medians: Figures = {};
  for (const key of keys) medians[key] = median(input.runs.map((r) => r[key]));
  const rows = ROWS.filter((row) => keys.has(row.key)).map((row) => ({
    ...row,
    median: medians[row.key] ?? null,
    values: input.runs.map((r) => r[row.key] ?? null),
  }));
  const m = (key: string): number | null => medians[key] ?? null;
  const targets: TargetResult[] = [];
  for (const procs of [1, 2]) {
    if (!keys.has(`w1.${procs}p.ratio`)) continue;
    targets.push(
      atLeast(`W1 ≥ 70 % of the SELECT floor, ${procs} process${procs > 1 ? "es" : ""}`, m(`w1.${procs}p.ratio`), 0.7),
    );
    const latencyReason = explainW1Latency(m, procs);
    targets.push({
      ...atMost(`W1 p99 at 64 connections, ${procs} process${procs > 1 ? "es" : ""}`, m(`w1.${procs}p.p99`), 25, "ms"),
      ...(latencyReason ? { reason: latencyReason } : {}),
    });
  }
  const loginReason = explainLoginRatio(m);
  targets.push({
    ...atLeast("W2 logins/s ≥ 95 % of the raw hash limit", m("w2.ratio"), 0.95),
    ...(loginReason ? { reason: loginReason } : {}),
  });
  targets.push(atMost("W3 auth.me p99 during a login storm", m("w3.stream.p99"), 50, "ms"));
  const rss = RSS_KEYS.map(m).filter((v): v is number => v !== null);
  targets.push(atMost("API peak RSS under every workload", rss.length ? Math.max(...rss) : null, 200, "MB"));
  targets.push({
    ...atMost(
      "Login route JavaScript, gzipped",
      input.web ? input.web.gzipBytes / 1000 : null,
      LOGIN_JS_LIMIT / 1000,
      "kB",
    ),
    ...(input.web ? {} : { reason: input.webNote ?? "not measured" }),
  });
  return { ...input, medians, rows, targets };
}

export function fmt(value: number | null, digits: number): string {
  if (value === null) return "–";
  if (digits === 0) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(digits);
}

function verdict(t: TargetResult): string {
  return t.met === null ? "N/A" : t.met ? "MET" : "MISSED";
}

function shown(t: TargetResult): string {
  if (t.value === null) return "–";
  if (t.limit.includes("%")) return `${(t.value * 100).toFixed(1)} %`;
  const unit = t.limit.split(" ").at(-1) ?? "";
  return `${t.value.toFixed(unit === "ms" || unit === "kB" ? 1 : 0)} ${unit}`;
}

export function printTable(report: Report): void {
  const width = Math.max(...report.rows.map((r) => r.label.length));
  const lines: string[] = [];
  const runsHeader = report.runs.map((_, i) => `run ${i + 1}`.padStart(10)).join("");
  lines.push(`${"figure".padEnd(width)}  ${"median".padStart(10)} ${"unit".padEnd(6)}${runsHeader}`);
  lines.push("-".repeat(width + 20 + 10 * report.runs.length));
  for (const row of report.rows) {
    const values = row.values.map((v) => fmt(v, row.digits).padStart(10)).join("");
    lines.push(
      `${row.label.padEnd(width)}  ${fmt(row.median, row.digits).padStart(10)} ${row.unit.padEnd(6)}${values}`,
    );
  }
  if (report.web) {
    lines.push(
      `${"login route JavaScript, gzipped".padEnd(width)}  ${(report.web.gzipBytes / 1000).toFixed(1).padStart(10)} kB     (${report.web.files.length} files, ${report.web.method})`,
    );
  } else {
    lines.push(
      `${"login route JavaScript, gzipped".padEnd(width)}  ${"–".padStart(10)}        ${report.webNote ?? ""}`,
    );
  }
  lines.push("");
  lines.push("targets (medians of the runs; every ratio computed within one run):");
  for (const t of report.targets) {
    lines.push(
      `  ${verdict(t).padEnd(7)} ${t.name.padEnd(48)} ${shown(t).padStart(10)}  (target ${t.limit})${t.reason ? `  ${t.reason}` : ""}`,
    );
  }
  if (report.notes.length > 0) lines.push("", "notes:", ...report.notes.map((n) => `  - ${n}`));
  console.log(lines.join("\n"));
}

function stamp(date: Date): string {
  return date.toISOString().slice(0, 16).replace(":", "").replace("T", "-");
}

/** How W0 and W1 were measured, from a run's settings (results from before the interleaving lack its fields). */
function w0w1Method(s: Record<string, unknown>): string {
  if (s.interleavedSegments === undefined) {
    return `per process count the floors (${String(s.warmupSeconds)} s warm-up + ${String(s.seconds)} s each), then W1, then the SELECT floor again (W1 is divided by the mean of the two SELECT floors).`;
  }
  const segments = Number(s.interleavedSegments);
  return (
    `per process count the bare floor (${String(s.warmupSeconds)} s warm-up + ${String(s.seconds)} s), then the SELECT floor and W1 with both servers up: ` +
    `${String(s.w1WarmupSeconds ?? s.warmupSeconds)} s warm-up each, then alternating segments of ${String(s.segmentSeconds)} s, ${String(segments)} of W1 each between two of the floor (${String(segments + 1)}). ` +
    `Each side's figures are those of its segments together; W1 is divided by the floor measured over the same stretch of time.`
  );
}

/** What the tables hold (results from before the filler accounts lack its field: only the load's users). */
function tableSizes(s: Record<string, unknown>): string {
  const users = Number(s.users);
  const filler = s.fillerUsers === undefined ? 0 : Number(s.fillerUsers);
  return (
    ` It holds ${(users + filler).toLocaleString("en-US")} active users, each with a profile and a live session` +
    (filler > 0
      ? `; the load uses ${String(users)} of them, the other ${filler.toLocaleString("en-US")} are there so that the tables have a realistic size.`
      : ".")
  );
}

/** How the raw hash limit, the login floor and W2 were measured (results from before their interleaving lack its field). */
function loginMethod(s: Record<string, unknown>): string {
  const floor =
    "Login floor: the floor server's `POST /login` (one SELECT of the hash, the verification with as many in flight as cores, one INSERT of a session), as many processes and connections as W2.";
  if (s.loginInterleaved === undefined) {
    return (
      `Raw hash limit: \`measureVerifyThroughput\` (packages/auth-core/bench) with ${String(s.cores)} verifications in flight for ${Number(s.hashMs) / 1000} s, nothing else running, ` +
      `measured before the workloads and again right after W2; the ratios divide by the mean. ${floor}`
    );
  }
  const segments = Number(s.interleavedSegments);
  return (
    `Raw hash limit: \`measureVerifyThroughput\` (packages/auth-core/bench) with ${String(s.cores)} verifications in flight, in the benchmark's own process. ${floor} ` +
    `The raw limit, the login floor and W2 are measured in alternating segments of ${String(s.segmentSeconds)} s with both servers up and idle while not measured ` +
    `(after a ${String(s.warmupSeconds)} s warm-up of each server): ${String(segments)} of the floor and of W2, each pair between two of the raw limit (${String(segments + 1)}). ` +
    loginServersMethod(s) +
    `Each side's figures are those of its segments together; both ratios compare figures measured over the same stretch of time. ` +
    `On PGlite the login floor is measured on its own first.`
  );
}

/** How long the login servers had been serving logins (results from before their warm-up lack its field). */
export function loginServersMethod(s: Record<string, unknown>): string {
  if (typeof s.loginWarmupSeconds !== "number") return "";
  return (
    `On PostgreSQL the login floor and the API for W2–W4 start once, before the first run, and serve every run (idle meanwhile); ` +
    `before the first run each gets ${String(s.loginWarmupSeconds)} s of logins, as a login path is compiled by the number of logins it serves. `
  );
}

/** Whether each load test waited for the servers to work off what the one before abandoned (older results did not). */
export function settleMethod(s: Record<string, unknown>): string {
  if (s.settledLoads !== true) return "";
  return (
    "After every load test, warm-ups included, the next one starts only once the servers have worked off the requests it left " +
    `(their CPU quiet for ${String(DEFAULT_SETTLE.sliceMs)} ms, at most ${String(DEFAULT_SETTLE.maxMs / 1000)} s): no segment pays for the one before. `
  );
}

/** How the API was started. Results from before `--node-flags` do not record the Node flags. */
export function apiCommand(s: Record<string, unknown>): string {
  if (!Array.isArray(s.apiNodeFlags)) {
    return `\`node ${String(s.apiEntry)}\` (the tsdown bundle, with \`pnpm start\`'s Node flags of the time, not recorded)`;
  }
  const flags = s.apiNodeFlags.map(String);
  const extra = flags.some((flag) => !API_NODE_FLAGS.includes(flag))
    ? ", with extra flags given by `--node-flags`"
    : "";
  return `\`${["node", ...flags, String(s.apiEntry)].join(" ")}\` (the tsdown bundle, as \`pnpm start\` ran it${extra})`;
}

function markdown(report: Report, jsonName: string): string {
  const s = report.settings;
  const out: string[] = [];
  out.push(`# tsbin benchmark — ${report.date.toISOString().slice(0, 16).replace("T", " ")} UTC`);
  out.push("");
  out.push(
    `Produced by \`pnpm bench\` (bench/src/main.ts); raw figures in [\`${jsonName}\`](${jsonName.startsWith("results/") ? jsonName : `./${jsonName}`}). ` +
      `Each figure is the median of ${report.runs.length} run${report.runs.length > 1 ? "s" : ""}; every ratio is computed within one run, then the median is taken.` +
      (report.label ? ` Label: ${report.label}.` : ""),
  );
  out.push("");
  out.push("## Machine, versions, settings");
  out.push("");
  const m = report.machine;
  out.push(
    `- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GiB RAM, Linux ${m.kernel}. Load generator, API and database share the cores.`,
  );
  out.push(
    `- Versions: ${Object.entries(report.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}.`,
  );
  out.push(`- Database: ${String(s.database)}.${tableSizes(s)}`);
  out.push(
    `- API: ${apiCommand(s)}, \`HOST=127.0.0.1\`, \`LOG_LEVEL=${String(s.logLevel)}\`, ` +
      `\`RATE_LIMIT_SCALE=${String(s.rateLimitScale)}\`, default hashers (argon2id m=19456 KiB, t=2, p=1). ` +
      `N processes = \`--workers N\` (node:cluster workers sharing the port; the floor server forks as many). ` +
      `Client addresses: ${String(s.clientAddresses)}.`,
  );
  out.push(
    `- Load: autocannon, 127.0.0.1 only. W0/W1: ${String(s.connections)} connections, cookies of ${String(s.users)} users in rotation; ${w0w1Method(s)} ` +
      `W2: ${String(s.stormConnections)} connections${s.loginInterleaved === undefined ? `, ${String(s.loginSeconds)} s` : ""}, logins rotating over the ${String(s.users)} users; ` +
      `W3: the W2 storm (${String(s.loginSeconds)} s) plus ${String(s.streamConnections)} connections of auth.me capped at ${String(s.streamRate)} req/s; ` +
      `W4: ${String(s.stormConnections)} connections, ${String(s.signupSeconds)} s of unique sign-ups. ` +
      `W2–W4 run against ${String(s.loginProcesses)} API process${Number(s.loginProcesses) > 1 ? "es" : ""}. ` +
      `${loginMethod(s)} ${settleMethod(s)}` +
      `PostgreSQL CPU: every local process named postgres${s.localPostgres ? "" : " (not measured: the server is not local)"}.`,
  );
  out.push(`- Whole benchmark: ${report.elapsedSeconds} s.`);
  out.push("");
  out.push("## Figures");
  out.push("");
  out.push(`| figure | median | unit | ${report.runs.map((_, i) => `run ${i + 1}`).join(" | ")} |`);
  out.push(`| --- | ---: | --- | ${report.runs.map(() => "---:").join(" | ")} |`);
  for (const row of report.rows) {
    out.push(
      `| ${row.label} | ${fmt(row.median, row.digits)} | ${row.unit} | ${row.values.map((v) => fmt(v, row.digits)).join(" | ")} |`,
    );
  }
  const web = report.web;
  out.push(
    `| login route JavaScript, gzipped | ${web ? (web.gzipBytes / 1000).toFixed(1) : "–"} | kB | ${report.runs.map(() => (web ? "(built once)" : "–")).join(" | ")} |`,
  );
  out.push("");
  out.push("## Targets");
  out.push("");
  out.push("| target | measured | limit | verdict |");
  out.push("| --- | ---: | --- | --- |");
  for (const t of report.targets) {
    out.push(
      `| ${t.name} | ${shown(t)} | ${t.limit} | ${t.met === false ? "**missed**" : verdict(t).toLowerCase()}${t.reason ? ` (${t.reason})` : ""} |`,
    );
  }
  out.push("");
  if (web) {
    out.push(
      `Login route JavaScript (${web.method}; login chunk: ${web.loginChunk ?? "none"}): ` +
        web.files.map((f) => `\`${f.file}\` ${(f.gzipBytes / 1000).toFixed(1)} kB`).join(", ") +
        ` — ${(web.rawBytes / 1000).toFixed(1)} kB before gzip.`,
    );
    out.push("");
  }
  if (report.notes.length > 0) {
    out.push("## Notes");
    out.push("");
    for (const note of report.notes) out.push(`- ${note}`);
    out.push("");
  }
  const extra = path.join(BENCH_DIR, "OPTIMISATIONS.md");
  if (existsSync(extra)) {
    out.push(readFileSync(extra, "utf8").trim());
    out.push("");
  }
  return out.join("\n");
}

/** Writes results/<stamp>.json, results/<stamp>.md and RESULTS.md, formatted with the repo's Prettier. */
export async function writeResults(report: Report): Promise<string[]> {
  const dir = path.join(BENCH_DIR, "results");
  mkdirSync(dir, { recursive: true });
  const jsonFile = path.join(dir, `${stamp(report.date)}.json`);
  const { rows: _rows, ...data } = report;
  writeFileSync(jsonFile, `${JSON.stringify(data, null, 2)}\n`);
  return formatWithPrettier([jsonFile, ...writeSummaries(report)]);
}

/**
 * Formats written files as the repo's `prettier --check` expects them (CI checks results too);
 * returns their paths relative to the repo.
 */
async function formatWithPrettier(files: readonly string[]): Promise<string[]> {
  const prettier = path.join(REPO_ROOT, "node_modules", ".bin", "prettier");
  if (existsSync(prettier)) {
    await run(prettier, ["--write", "--log-level", "warn", ...files], { cwd: REPO_ROOT, timeoutMs: 60_000 }).catch(
      () => undefined,
    );
  }
  return files.map((f) => path.relative(REPO_ROOT, f));
}

/**
 * Rewrites the summaries of a run from its saved JSON (`pnpm bench -- --render results/<stamp>.json`),
 * measuring nothing: e.g. after OPTIMISATIONS.md, which every summary includes, has changed.
 */
export async function renderResults(jsonFile: string): Promise<string[]> {
  const saved = JSON.parse(readFileSync(jsonFile, "utf8")) as Omit<ReportInput, "date"> & { date: string };
  if (!Array.isArray(saved.runs) || typeof saved.date !== "string") {
    throw new Error(`${jsonFile} is not a benchmark result (no "date" or "runs")`);
  }
  return formatWithPrettier(writeSummaries(buildReport({ ...saved, date: new Date(saved.date) })));
}

/** Writes results/<stamp>.md and RESULTS.md for one run; returns their paths. */
function writeSummaries(report: Report): string[] {
  const name = stamp(report.date);
  const mdFile = path.join(BENCH_DIR, "results", `${name}.md`);
  const latest = path.join(BENCH_DIR, "RESULTS.md");
  writeFileSync(mdFile, `${markdown(report, `${name}.json`)}\n`);
  writeFileSync(latest, `${markdown(report, `results/${name}.json`)}\n`);
  return [mdFile, latest];
}

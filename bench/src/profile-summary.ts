/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by package, so
 * a hot path shows up without opening DevTools. `tsx src/profile-summary.ts <file.cpuprofile> [top]`
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byFunction: { name: string; selfMs: number; share: number }[];
  byPackage: { name: string; selfMs: number; share: number }[];
  /** Time in a function and everything it called (each stack counted once per function). */
  inclusive: { name: string; selfMs: number; share: number }[];
}

function packageOf(url: string): string {
  if (url === "") return "(native/V8)";
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match?.[1]) return match[1];
  if (url.startsWith("node:")) return "node:core";
  if (url.includes("/apps/api/dist/")) return "tsbin (api bundle)";
  return url.replace(/^file:\/\//, "").replace(/.*\/work\/main\//, "");
}

/** Aggregates self time per function and per package. */
export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === "(idle)") {
      idle += us;
      continue;
    }
    const where = url ? `${packageOf(url)}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"} ${where}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + us);
    const p = functionName.startsWith("(") ? functionName : packageOf(url);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  const busy = Math.max(total - idle, 1);
  const keyOf = (node: ProfileNode): string => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || "(anonymous)"} ${url ? `${packageOf(url)}:${lineNumber + 1}` : ""}`.trim();
  };
  const inclusive = new Map<string, number>();
  const root = profile.nodes[0];
  const walk = (node: ProfileNode, seen: Set<string>): number => {
    let sum = selfUs.get(node.id) ?? 0;
    const key = keyOf(node);
    const fresh = !seen.has(key);
    if (fresh) seen.add(key);
    for (const child of node.children ?? []) {
      const childNode = byId.get(child);
      if (childNode) sum += walk(childNode, seen);
    }
    if (fresh) {
      seen.delete(key);
      if (node.callFrame.functionName !== "(idle)") inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
    }
    return sum;
  };
  if (root) walk(root, new Set());
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / busy }));
  return {
    totalMs: total / 1000,
    idleMs: idle / 1000,
    byFunction: rank(fn),
    byPackage: rank(pkg),
    inclusive: rank(inclusive),
  };
}

export function formatSummary(summary: ProfileSummary): string {
  const lines = [
    `total ${summary.totalMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms (shares are of busy time)`,
    "",
    "self time by package:",
  ];
  for (const row of summary.byPackage) lines.push(`  ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`);
  lines.push("", "self time by function:");
  for (const row of summary.byFunction) lines.push(`  ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`);
  lines.push("", "inclusive time by function:");
  for (const row of summary.inclusive) lines.push(`  ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`);
  return lines.join("\n");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: profile-summary <file.cpuprofile> [top]");
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  console.log(formatSummary(summariseProfile(profile, Number(process.argv[3] ?? 30))));
}

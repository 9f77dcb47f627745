/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by package, so
 * a hot path shows up without opening DevTools. `tsx src/profile-summary.ts <file.cpuprofile> [top] [--flame]`
 * (`--flame` also writes its flame graph, see flamegraph.ts).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { frameLabel, packageOf, selfTimes, type CpuProfile, type ProfileNode } from "./cpu-profile.ts";
import { writeFlameGraph } from "./flamegraph.ts";

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byFunction: { name: string; selfMs: number; share: number }[];
  byPackage: { name: string; selfMs: number; share: number }[];
  /** Time in a function and everything it called (each stack counted once per function). */
  inclusive: { name: string; selfMs: number; share: number }[];
}

/** Aggregates self time per function and per package. */
export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = selfTimes(profile);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url } = node.callFrame;
    total += us;
    if (functionName === "(idle)") {
      idle += us;
      continue;
    }
    const key = frameLabel(node);
    fn.set(key, (fn.get(key) ?? 0) + us);
    const p = functionName.startsWith("(") ? functionName : packageOf(url);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  const busy = Math.max(total - idle, 1);
  const inclusive = new Map<string, number>();
  const root = profile.nodes[0];
  const walk = (node: ProfileNode, seen: Set<string>): number => {
    let sum = selfUs.get(node.id) ?? 0;
    const key = frameLabel(node);
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
    console.error("usage: profile-summary <file.cpuprofile> [top] [--flame]");
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const top = process.argv.slice(3).find((arg) => /^\d+$/.test(arg));
  console.log(formatSummary(summariseProfile(profile, Number(top ?? 30))));
  if (process.argv.includes("--flame")) {
    const flame = writeFlameGraph(file, profile, path.basename(file));
    console.log(`\nflame graph: ${flame.svg}\nfolded stacks: ${flame.folded}`);
  }
}

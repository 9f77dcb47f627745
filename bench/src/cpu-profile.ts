/** The parts of a V8 `.cpuprofile` (from `node --cpu-prof`) the summary and the flame graph read, and how they name frames. */

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export function packageOf(url: string): string {
  if (url === "") return "(native/V8)";
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match?.[1]) return match[1];
  if (url.startsWith("node:")) return "node:core";
  if (url.includes("/apps/api/dist/")) return "tsbin (api bundle)";
  return url.replace(/^file:\/\//, "").replace(/.*\/work\/main\//, "");
}

/** How a frame is named in summaries and flame graphs: function, then package and line. */
export function frameLabel(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"} ${url ? `${packageOf(url)}:${lineNumber + 1}` : ""}`.trim();
}

/** Microseconds of samples that landed in each node (its self time). */
export function selfTimes(profile: CpuProfile): Map<number, number> {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  return selfUs;
}

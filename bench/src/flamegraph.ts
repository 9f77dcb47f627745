/**
 * Flame graphs of a V8 `.cpuprofile`: the folded stacks (one line per distinct stack, `a;b;c <µs>`,
 * the input format of flamegraph.pl, inferno and speedscope) and a self-contained SVG of them, so a
 * profile taken with `pnpm bench -- --profile w1|w2` can be looked at without DevTools.
 */
import { writeFileSync } from "node:fs";
import { frameLabel, selfTimes, type CpuProfile, type ProfileNode } from "./cpu-profile.ts";

/** Busy time of every distinct stack, root first, in microseconds. Idle time and V8's `(root)` are left out. */
export function foldStacks(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stacks = new Map<string, number>();
  for (const [id, us] of selfTimes(profile)) {
    const leaf = byId.get(id);
    if (!leaf || leaf.callFrame.functionName === "(idle)" || us <= 0) continue;
    const frames: string[] = [];
    for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parentOf.get(node.id) ?? -1)) {
      if (node.callFrame.functionName === "(root)") break;
      // The folded format separates frames with ';'.
      frames.push(frameLabel(node).replaceAll(";", ":"));
    }
    const key = frames.reverse().join(";");
    stacks.set(key, (stacks.get(key) ?? 0) + us);
  }
  return stacks;
}

export function foldedText(stacks: ReadonlyMap<string, number>): string {
  return [...stacks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([stack, us]) => `${stack} ${Math.round(us)}`)
    .join("\n");
}

interface Frame {
  name: string;
  us: number;
  children: Map<string, Frame>;
}

function frameTree(stacks: ReadonlyMap<string, number>): Frame {
  const root: Frame = { name: "all busy time", us: 0, children: new Map() };
  for (const [stack, us] of stacks) {
    root.us += us;
    let frame = root;
    for (const name of stack.split(";")) {
      let child = frame.children.get(name);
      if (!child) {
        child = { name, us: 0, children: new Map() };
        frame.children.set(name, child);
      }
      child.us += us;
      frame = child;
    }
  }
  return root;
}

function depthOf(frame: Frame): number {
  let deepest = 0;
  for (const child of frame.children.values()) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** A frame's colour says where its code lives: our bundle, Node's core, V8 and native code, or a package. */
function colourOf(name: string): string {
  if (/ tsbin \(api bundle\):\d+$/.test(name)) return "#f28e2b";
  if (/ node:core:\d+$/.test(name)) return "#59a14f";
  const place = / (\S+):\d+$/.exec(name)?.[1];
  if (place === undefined) return "#e15759";
  let hash = 0;
  for (const char of place) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `hsl(${40 + (hash % 25)}, 85%, ${55 + (hash % 15)}%)`;
}

const WIDTH = 1200;
const MARGIN = 10;
const ROW = 17;
const CHAR_WIDTH = 6.6;
/** Frames narrower than this (in pixels) are not drawn: they could not be seen or hovered. */
const MIN_WIDTH = 0.3;

/**
 * A flame graph as SVG: the root at the bottom, callers below their callees, each frame as wide as
 * its share of the busy time, siblings in alphabetical order (as flamegraph.pl does; the x axis is
 * not time). Hovering a frame shows its name, milliseconds and share.
 */
export function flameGraphSvg(stacks: ReadonlyMap<string, number>, title: string): string {
  const root = frameTree(stacks);
  const depth = depthOf(root);
  const top = 40;
  const height = top + depth * ROW + MARGIN;
  const scale = root.us > 0 ? (WIDTH - 2 * MARGIN) / root.us : 0;
  const rects: string[] = [];
  const draw = (frame: Frame, x: number, level: number): void => {
    const width = frame.us * scale;
    if (width < MIN_WIDTH) return;
    const y = height - MARGIN - (level + 1) * ROW;
    const share = root.us > 0 ? (frame.us / root.us) * 100 : 0;
    const tip = `${frame.name} — ${(frame.us / 1000).toFixed(1)} ms, ${share.toFixed(1)} %`;
    const fits = Math.floor((width - 6) / CHAR_WIDTH);
    const label = fits < 3 ? "" : frame.name.length <= fits ? frame.name : `${frame.name.slice(0, fits - 2)}..`;
    rects.push(
      `<g><title>${escapeXml(tip)}</title>` +
        `<rect x="${x.toFixed(2)}" y="${y}" width="${width.toFixed(2)}" height="${ROW - 1}" rx="2" fill="${colourOf(frame.name)}"/>` +
        (label ? `<text x="${(x + 3).toFixed(2)}" y="${y + ROW - 5}">${escapeXml(label)}</text>` : "") +
        `</g>`,
    );
    let childX = x;
    for (const child of [...frame.children.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      draw(child, childX, level + 1);
      childX += child.us * scale;
    }
  };
  draw(root, MARGIN, 0);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fdfdf6"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    `<text x="${MARGIN}" y="34" fill="#555">busy time ${(root.us / 1000).toFixed(0)} ms; width = share of it; orange: tsbin, green: Node.js core, red: V8 and native, yellow: packages</text>`,
    ...rects,
    `</svg>`,
  ].join("\n");
}

/** Writes the flame graph (`.svg`) and the folded stacks (`.folded`) next to a `.cpuprofile`; returns their paths. */
export function writeFlameGraph(
  profilePath: string,
  profile: CpuProfile,
  title: string,
): { svg: string; folded: string } {
  const stacks = foldStacks(profile);
  const base = profilePath.replace(/\.cpuprofile$/, "");
  const files = { svg: `${base}.svg`, folded: `${base}.folded` };
  writeFileSync(files.svg, flameGraphSvg(stacks, title));
  writeFileSync(files.folded, `${foldedText(stacks)}\n`);
  return files;
}

/**
 * The JavaScript a browser needs to show the SPA's login route: what apps/web/dist/index.html loads
 * (module scripts and modulepreloads), the login route's lazy chunk, and every chunk those import
 * statically, each file counted once, gzipped with node:zlib (default level, as Vite reports it).
 * Uses the Vite manifest when the build writes one; otherwise reads the chunks' own import
 * statements, so it keeps working while the web app changes.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

export interface WebSize {
  /** Gzipped bytes of every JS file counted. */
  gzipBytes: number;
  rawBytes: number;
  files: { file: string; gzipBytes: number }[];
  /** The chunk taken as the login route's, or null when the login page is in the entry bundle. */
  loginChunk: string | null;
  method: "vite manifest" | "index.html + chunk imports";
  note?: string;
}

interface ManifestChunk {
  file: string;
  src?: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
}

const ATTR = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, "i");

/** Module scripts and modulepreload links of index.html, as paths relative to dist. */
function htmlEntries(html: string): string[] {
  const files: string[] = [];
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    const src = ATTR("src").exec(tag)?.[1];
    if (src && /\btype\s*=\s*["']module["']/i.test(tag)) files.push(src);
  }
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    const rel = ATTR("rel").exec(tag)?.[1]?.toLowerCase();
    const href = ATTR("href").exec(tag)?.[1];
    if (href && rel === "modulepreload") files.push(href);
  }
  return files.filter((f) => !/^[a-z]+:/i.test(f)).map((f) => f.replace(/^\.?\//, "").split(/[?#]/)[0] as string);
}

/** Static imports (`import … from "./x.js"`, `import "./x.js"`) of a built chunk; not `import()`. */
function staticImports(code: string, fromFile: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+\.js)["']/g;
  for (const match of code.matchAll(pattern)) {
    const before = code.slice(Math.max(0, (match.index ?? 0) - 1), match.index ?? 0);
    if (before === "(") continue;
    found.push(path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), match[1] as string)));
  }
  return found;
}

function findManifest(dist: string): Record<string, ManifestChunk> | null {
  for (const candidate of [".vite/manifest.json", "manifest.json"]) {
    const file = path.join(dist, candidate);
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, "utf8")) as Record<string, ManifestChunk>;
      } catch {
        return null;
      }
    }
  }
  return null;
}

function listJs(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listJs(path.join(dir, entry.name), rel));
    else if (entry.name.endsWith(".js")) out.push(rel);
  }
  return out;
}

/** Picks the login route's chunk: a file named `login-<hash>.js` first, else any JS file naming login. */
function loginChunkByName(files: readonly string[]): string | null {
  const base = (f: string) => path.posix.basename(f, ".js");
  return (
    files.find((f) => /^login[-.][\w-]+$/i.test(base(f)) || base(f).toLowerCase() === "login") ??
    files.find((f) => /login/i.test(base(f))) ??
    null
  );
}

export function measureLoginRouteJs(dist: string): WebSize {
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const manifest = findManifest(dist);
  const counted = new Set<string>();
  let loginChunk: string | null = null;
  let method: WebSize["method"];

  if (manifest) {
    method = "vite manifest";
    const byKey = new Map(Object.entries(manifest));
    const visit = (key: string): void => {
      const chunk = byKey.get(key);
      if (!chunk || counted.has(chunk.file)) return;
      counted.add(chunk.file);
      chunk.imports?.forEach(visit);
    };
    for (const [key, chunk] of byKey) if (chunk.isEntry) visit(key);
    for (const file of htmlEntries(html)) counted.add(file);
    const loginKey =
      [...byKey.keys()].find((k) => /(^|\/)login\.[jt]sx?$/.test(k)) ??
      [...byKey.entries()].find(([, c]) => /login/i.test(c.name ?? c.file))?.[0];
    if (loginKey) {
      loginChunk = byKey.get(loginKey)?.file ?? null;
      visit(loginKey);
    }
  } else {
    method = "index.html + chunk imports";
    const visit = (file: string): void => {
      if (counted.has(file) || !file.endsWith(".js")) return;
      const full = path.join(dist, file);
      if (!existsSync(full)) return;
      counted.add(file);
      staticImports(readFileSync(full, "utf8"), file).forEach(visit);
    };
    htmlEntries(html).forEach(visit);
    loginChunk = loginChunkByName(listJs(dist));
    if (loginChunk) visit(loginChunk);
  }

  const files = [...counted]
    .filter((file) => file.endsWith(".js") && existsSync(path.join(dist, file)))
    .map((file) => {
      const code = readFileSync(path.join(dist, file));
      return { file, rawBytes: code.length, gzipBytes: gzipSync(code).length };
    });
  return {
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    rawBytes: files.reduce((sum, f) => sum + f.rawBytes, 0),
    files: files.map(({ file, gzipBytes }) => ({ file, gzipBytes })),
    loginChunk,
    method,
    ...(loginChunk ? {} : { note: "no login chunk found: the login page is taken to be in the initial bundle" }),
  };
}

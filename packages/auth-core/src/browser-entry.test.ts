import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { describe, expect, it } from "vitest";

const SERVER_ONLY_PACKAGES = new Set(["@node-rs/argon2", "@node-rs/bcrypt"]);
const NODE_BUILTINS = new Set(builtinModules);

// Every module specifier in a file: static imports and re-exports, and dynamic import().
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

function collectImports(entry: URL): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file.href)) continue;
    const source = readFileSync(file, "utf8");
    const specifiers = [...source.matchAll(SPECIFIER)].map((match) => match[1] ?? "");
    seen.set(
      file.href,
      specifiers.filter((specifier) => !specifier.startsWith(".")),
    );
    for (const specifier of specifiers) if (specifier.startsWith(".")) pending.push(new URL(specifier, file));
  }
  return seen;
}

function serverOnlyImports(graph: Map<string, string[]>): string[] {
  return [...graph].flatMap(([file, specifiers]) =>
    specifiers
      .filter(
        (specifier) =>
          specifier.startsWith("node:") || NODE_BUILTINS.has(specifier) || SERVER_ONLY_PACKAGES.has(specifier),
      )
      .map((specifier) => `${file} imports ${specifier}`),
  );
}

describe("the browser-safe entry", () => {
  const graph = collectImports(new URL("./index.ts", import.meta.url));

  it("reaches the modules it exports", () => {
    expect([...graph.keys()].some((file) => file.endsWith("/password-validation.ts"))).toBe(true);
    expect([...graph.keys()].some((file) => file.endsWith("/data/common-passwords.ts"))).toBe(true);
  });

  it("imports no Node built-in and no native package, directly or indirectly", () => {
    expect(serverOnlyImports(graph)).toEqual([]);
  });

  it("would be caught importing server code (the check sees the server entry's imports)", () => {
    const server = serverOnlyImports(collectImports(new URL("./server.ts", import.meta.url)));
    expect(server.some((line) => line.endsWith("imports node:crypto"))).toBe(true);
    expect(server.some((line) => line.endsWith("imports @node-rs/argon2"))).toBe(true);
  });

  it("does not reach the hashers", () => {
    expect([...graph.keys()].filter((file) => file.includes("/hashers/"))).toEqual([]);
  });
});

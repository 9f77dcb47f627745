import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { format } from "prettier";
import { RESULTS_DIR } from "./paths.ts";

/** JSON as the repository's Prettier settings print it, so `prettier --check security` stays clean after a run. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await format(JSON.stringify(value), { parser: "json", printWidth: 120 }));
}

/**
 * Measurements worth reading next to pass/fail (latencies, timing medians, fault figures): merged
 * into results/<file>.json under `key` and echoed to the test output.
 */
export async function recordFigures(key: string, figures: unknown, file = "figures.json"): Promise<void> {
  const target = path.join(RESULTS_DIR, file);
  let current: Record<string, unknown> = {};
  if (existsSync(target)) {
    try {
      current = JSON.parse(readFileSync(target, "utf8")) as Record<string, unknown>;
    } catch {
      current = {};
    }
  }
  current[key] = figures;
  await writeJson(target, current);
  process.stdout.write(`[figures] ${key}: ${JSON.stringify(figures)}\n`);
}

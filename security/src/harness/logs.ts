import { existsSync, readFileSync, statSync } from "node:fs";

/** One JSON line of the server's pino log. */
export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** pino's level numbers: 40 warn, 50 error, 60 fatal. */
export const ERROR_LEVEL = 50;

/** The log's current size: pass it to {@link logLinesSince} to see only what a check caused. */
export function logOffset(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** Parsed log lines written after `offset`; lines that are not JSON are returned as `{ level: 0, msg }`. */
export function logLinesSince(file: string, offset: number): LogLine[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file).subarray(offset).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        return { level: 0, msg: line };
      }
    });
}

/** Error and fatal lines, plus anything that is not a JSON log line (a stack trace printed raw). */
export function serverErrorsSince(file: string, offset: number): LogLine[] {
  return logLinesSince(file, offset).filter((line) => line.level >= ERROR_LEVEL || line.level === 0);
}

/**
 * Server-side durations (the request log's `ms`, measured inside the server) of `requestIds`. The
 * server's logger writes asynchronously, so the last answers can arrive before their lines: this waits
 * (up to `timeoutMs`) until every one has its line, and throws if some never get one.
 */
export async function serverDurations(
  file: string,
  offset: number,
  requestIds: readonly string[],
  timeoutMs = 5_000,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const durations = new Map<string, number>();
    for (const line of logLinesSince(file, offset)) {
      if (typeof line["reqId"] === "string" && typeof line["ms"] === "number") durations.set(line["reqId"], line["ms"]);
    }
    const missing = requestIds.filter((id) => !durations.has(id));
    if (missing.length === 0) return durations;
    if (Date.now() >= deadline) {
      throw new Error(
        `No request log line after ${timeoutMs} ms for ${missing.length} request(s): ${missing.join(", ")}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

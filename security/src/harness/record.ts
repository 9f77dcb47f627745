import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { runInfo } from "./run-info.ts";

/** Secrets the suite used or was issued; the hygiene checks grep logs and bodies for each of them. */
export type SecretKind = "password" | "session-token" | "reset-token";

export interface RecordedSecret {
  kind: SecretKind;
  value: string;
}

/** A response the suite received: the hygiene checks scan bodies and Location headers. */
export interface RecordedResponse {
  path: string;
  status: number;
  location: string | null;
  body: string;
}

const SECRETS_FILE = "secrets.jsonl";
const RESPONSES_FILE = "responses.jsonl";
/** Bodies are kept in full up to this size, which every API answer stays under. */
const MAX_RECORDED_BODY = 64 * 1024;

const seen = new Set<string>();

export function recordSecret(kind: SecretKind, value: string): void {
  const key = `${kind}\u0000${value}`;
  if (value.length === 0 || seen.has(key)) return;
  seen.add(key);
  appendFileSync(path.join(runInfo().runDir, SECRETS_FILE), `${JSON.stringify({ kind, value })}\n`);
}

export function recordResponse(response: RecordedResponse): void {
  const entry = { ...response, body: response.body.slice(0, MAX_RECORDED_BODY) };
  appendFileSync(path.join(runInfo().runDir, RESPONSES_FILE), `${JSON.stringify(entry)}\n`);
}

function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}

export function readSecrets(runDir: string): RecordedSecret[] {
  return readJsonLines<RecordedSecret>(path.join(runDir, SECRETS_FILE));
}

export function readResponses(runDir: string): RecordedResponse[] {
  return readJsonLines<RecordedResponse>(path.join(runDir, RESPONSES_FILE));
}

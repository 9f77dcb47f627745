import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PENDING_MARK } from "../src/checks.ts";
import { recordFigures } from "../src/harness/figures.ts";
import { REPO_ROOT } from "../src/harness/paths.ts";
import { readResponses, readSecrets } from "../src/harness/record.ts";
import { runInfo } from "../src/harness/run-info.ts";

const info = runInfo();
const TOKEN = /[a-z2-7]{32}\.[a-z2-7]{32}/gu;
const HALF = /[a-z2-7]{32}/gu;
const GENERATED_PASSWORD = /Sec [A-Za-z0-9_-]{12} pass/gu;
/** Shorter passwords (Django's "secret" vector, "password123"...) match ordinary words in logs; they are skipped. */
const MIN_PASSWORD_LENGTH = 8;

function serverLogs(): { name: string; text: string }[] {
  return readdirSync(info.runDir)
    .filter((name) => name.endsWith(".log"))
    .map((name) => ({ name, text: readFileSync(path.join(info.runDir, name), "utf8") }));
}

/** The log line holding `needle`, shortened around it, for the failure message. */
function lineWith(text: string, needle: string): string {
  const at = text.indexOf(needle);
  if (at === -1) return "(a line)";
  const start = text.lastIndexOf("\n", at) + 1;
  const line = text.slice(start, text.indexOf("\n", at) === -1 ? undefined : text.indexOf("\n", at));
  const msg = /"msg":"([^"]*)"/u.exec(line)?.[1] ?? "";
  return `a "${msg}" line: …${text.slice(Math.max(start, at - 120), at + needle.length + 20)}…`;
}

function matches(text: string, pattern: RegExp): Set<string> {
  return new Set(text.match(pattern) ?? []);
}

describe("H1 no secrets in the logs", () => {
  it("H1 no session token, reset token or password the suite used appears in any server log of the run", async () => {
    const secrets = readSecrets(info.runDir);
    const logs = serverLogs();
    expect(logs.map((log) => log.name)).toContain("main.log");
    const leaks: string[] = [];
    let checked = 0;
    for (const log of logs) {
      const halves = matches(log.text, HALF);
      const generated = matches(log.text, GENERATED_PASSWORD);
      for (const secret of secrets) {
        if (secret.kind === "password") {
          if (secret.value.length < MIN_PASSWORD_LENGTH) continue;
          checked += 1;
          const found = /^Sec [A-Za-z0-9_-]{12} pass$/u.test(secret.value)
            ? generated.has(secret.value)
            : log.text.includes(secret.value);
          if (found)
            leaks.push(`${log.name}: password ${secret.value.slice(0, 6)}… in ${lineWith(log.text, secret.value)}`);
        } else {
          checked += 1;
          // The id half of a token is a public row id; the secret half must never be written down.
          const secretHalf = secret.value.split(".")[1] ?? secret.value;
          if (halves.has(secretHalf) || log.text.includes(secret.value))
            leaks.push(`${log.name}: ${secret.kind} …${secretHalf.slice(-6)}`);
        }
      }
    }
    await recordFigures("H1 secrets checked against the logs", {
      secrets: secrets.length,
      checks: checked,
      logs: logs.map((l) => l.name),
    });
    expect(secrets.filter((s) => s.kind === "session-token").length).toBeGreaterThan(100);
    expect(secrets.filter((s) => s.kind === "reset-token").length).toBeGreaterThan(10);
    expect(leaks, leaks.join("\n")).toEqual([]);
  });
});

describe("S7 tokens never in bodies or URLs", () => {
  it("S7 no answer body or Location header of the whole run carried a session or reset token", () => {
    const secretHalves = new Set(
      readSecrets(info.runDir)
        .filter((s) => s.kind !== "password")
        .map((s) => s.value.split(".")[1] ?? ""),
    );
    const leaks: string[] = [];
    const responses = readResponses(info.runDir);
    for (const response of responses) {
      for (const text of [response.body, response.location ?? ""]) {
        for (const token of text.match(TOKEN) ?? []) {
          if (secretHalves.has(token.split(".")[1] ?? "")) leaks.push(`${response.path} (${response.status})`);
        }
      }
    }
    expect(responses.length).toBeGreaterThan(1000);
    expect(leaks).toEqual([]);
  });
});

interface AuditAdvisory {
  module_name?: string;
  severity?: string;
  title?: string;
  url?: string;
  vulnerable_versions?: string;
}

async function runAudit(): Promise<{ ok: true; advisories: AuditAdvisory[] } | { ok: false; reason: string }> {
  try {
    const { stdout } = await promisify(execFile)("pnpm", ["audit", "--prod", "--json"], {
      cwd: REPO_ROOT,
      timeout: 120_000,
    });
    const report = JSON.parse(stdout) as { advisories?: Record<string, AuditAdvisory> };
    return { ok: true, advisories: Object.values(report.advisories ?? {}) };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message?: string };
    try {
      // pnpm audit exits non-zero when it finds advisories; its JSON is still on stdout.
      const report = JSON.parse(failure.stdout ?? "") as { advisories?: Record<string, AuditAdvisory> };
      if (report.advisories) return { ok: true, advisories: Object.values(report.advisories) };
    } catch {
      // Not a report: the registry did not answer.
    }
    const text = `${failure.stderr ?? ""}\n${failure.stdout ?? ""}\n${failure.message ?? ""}`;
    const line =
      text.split("\n").find((l) => /ERR_PNPM|responded with|audit endpoint|ENOTFOUND|ECONNREFUSED/u.test(l)) ??
      text.trim().split("\n")[0];
    return { ok: false, reason: (line ?? "").trim().replace(/\s+/gu, " ").slice(0, 160) };
  }
}

const audit = await runAudit();

describe("H2 pnpm audit --prod", () => {
  if (audit.ok) {
    it("H2 no high or critical advisory affects a production dependency", async () => {
      await recordFigures(
        "H2 pnpm audit --prod",
        audit.advisories.map((a) => ({ module: a.module_name, severity: a.severity, title: a.title, url: a.url })),
      );
      const serious = audit.advisories.filter((a) => a.severity === "high" || a.severity === "critical");
      expect(serious.map((a) => `${a.module_name} ${a.severity}: ${a.title}`)).toEqual([]);
    });
  } else {
    it(`H2 ${PENDING_MARK} the registry here cannot answer audits: ${audit.reason}`, () => {
      expect(audit.ok).toBe(false);
    });
  }
});

import path from "node:path";
import type { Reporter, SerializedError, TestModule } from "vitest/node";
import { ALL_CHECKS, CHECK_ID_PATTERN, PENDING_MARK } from "../checks.ts";
import { writeJson } from "../harness/figures.ts";
import { RESULTS_DIR } from "../harness/paths.ts";

type Status = "passed" | "failed" | "pending";

interface TestOutcome {
  id: string | undefined;
  name: string;
  file: string;
  guard: boolean;
  state: string;
  error: string;
}

export interface CheckStatus {
  id: string;
  title: string;
  status: Status;
  /** Pending parts (reasons), for checks that ran but are not complete yet. */
  pending: string[];
  failures: string[];
  tests: number;
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .find((line) => line.trim().length > 0)
      ?.trim() ?? ""
  );
}

/**
 * Turns the vitest results into one status per check id — failed if any of its tests failed (a
 * pending guard failing means the feature landed and the check must be written), pending if only
 * pending guards exist, passed otherwise — prints the table and the final line
 * `N passed, N failed, N pending`, and writes results/summary.json.
 */
export class SummaryReporter implements Reporter {
  async onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): Promise<void> {
    const outcomes: TestOutcome[] = [];
    const brokenFiles: string[] = [];
    for (const module of testModules) {
      const file = path.basename(module.moduleId);
      const moduleErrors = module.errors();
      if (moduleErrors.length > 0) brokenFiles.push(`${file}: ${firstLine(moduleErrors[0]?.message ?? "")}`);
      for (const test of module.children.allTests()) {
        const result = test.result();
        const errors = result.state === "failed" ? result.errors : [];
        outcomes.push({
          id: CHECK_ID_PATTERN.exec(test.name)?.[1],
          name: test.name,
          file,
          guard: test.name.includes(PENDING_MARK),
          state: result.state,
          error: firstLine(errors[0]?.message ?? ""),
        });
      }
    }

    const statuses: CheckStatus[] = ALL_CHECKS.map(({ id, title }) => {
      const tests = outcomes.filter((outcome) => outcome.id === id);
      const failures = tests
        .filter((t) => t.state !== "passed")
        .map((t) => `${t.name}${t.state === "failed" ? `: ${t.error}` : ` (${t.state}: tests must not be skipped)`}`);
      const guards = tests.filter((t) => t.guard);
      const pending = guards.map((t) => t.name.slice(t.name.indexOf(PENDING_MARK) + PENDING_MARK.length).trim());
      let status: Status;
      if (tests.length === 0) {
        status = "failed";
        failures.push("no test exists for this check");
      } else if (failures.length > 0) status = "failed";
      else if (guards.length === tests.length) status = "pending";
      else status = "passed";
      return { id, title, status, pending, failures, tests: tests.length };
    });
    const unnamed = outcomes.filter(
      (outcome) => outcome.id === undefined || !ALL_CHECKS.some((c) => c.id === outcome.id),
    );

    const out: string[] = ["", "Security checks (SECURITY-CHECKS.md section 1, plus hygiene H1-H2)", ""];
    for (const check of statuses) {
      const partial = check.status === "passed" && check.pending.length > 0 ? " (partly pending)" : "";
      out.push(`${check.id.padEnd(4)} ${check.status.toUpperCase()}${partial}  ${check.title}`);
      for (const failure of check.failures) out.push(`       failed: ${failure}`);
      for (const reason of check.pending) out.push(`       pending: ${reason}`);
    }
    for (const outcome of unnamed) out.push(`???  a test not named by a check id: ${outcome.file} > ${outcome.name}`);
    for (const broken of brokenFiles) out.push(`!!!  test file error: ${broken}`);
    for (const error of unhandledErrors)
      out.push(`!!!  unhandled error: ${firstLine(error.message ?? JSON.stringify(error))}`);

    const passed = statuses.filter((s) => s.status === "passed").length;
    const failed =
      statuses.filter((s) => s.status === "failed").length +
      unnamed.length +
      brokenFiles.length +
      unhandledErrors.length;
    const pending = statuses.filter((s) => s.status === "pending").length;
    const started = Number(process.env["SECURITY_STARTED_AT"] ?? "");
    if (Number.isFinite(started) && started > 0) {
      out.push("", `run time: ${((Date.now() - started) / 1000).toFixed(1)} s (builds included)`);
    }
    out.push("", `${passed} passed, ${failed} failed, ${pending} pending`);
    process.stdout.write(`${out.join("\n")}\n`);

    await writeJson(path.join(RESULTS_DIR, "summary.json"), {
      passed,
      failed,
      pending,
      checks: statuses,
      tests: outcomes,
    });
  }
}

import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files run one at a time in this order: cheap functional areas first, the timing checks on a quiet
 * server, the fault injection (its own PostgreSQL) next to last, and the hygiene checks last of all,
 * because they grep the logs and responses of everything before them.
 */
export const AREA_ORDER = [
  "pending",
  "authn",
  "session",
  "csrf",
  "access",
  "reset",
  "enumeration",
  "ratelimit",
  "input",
  "concurrency",
  "faults",
  "hygiene",
] as const;

function rank(spec: TestSpecification): number {
  const area = path.basename(spec.moduleId).replace(/\.test\.ts$/u, "");
  const index = (AREA_ORDER as readonly string[]).indexOf(area);
  return index === -1 ? AREA_ORDER.length - 1 : index;
}

export class AreaSequencer extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return Promise.resolve([...files].sort((a, b) => rank(a) - rank(b)));
  }
}

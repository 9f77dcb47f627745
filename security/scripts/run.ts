import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// `pnpm test:security`: builds the API (and, if it builds, the SPA), then runs the suite against the
// production bundle. The summary reporter prints the final line "N passed, N failed, N pending".
const startedAt = Date.now();
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const securityRoot = fileURLToPath(new URL("../", import.meta.url));

function run(command: string, args: string[], cwd: string): number {
  const result = spawnSync(command, args, {
    cwd,
    stdio: "inherit",
    env: { ...process.env, SECURITY_STARTED_AT: String(startedAt) },
  });
  return result.status ?? 1;
}

process.stdout.write("security suite: building the API (pnpm --filter @tsbin/api build)\n");
if (run("pnpm", ["--filter", "@tsbin/api", "build"], repoRoot) !== 0) {
  process.stdout.write("security suite: the API does not build; no check can run.\n0 passed, 1 failed, 0 pending\n");
  process.exit(1);
}
process.stdout.write("security suite: building the SPA (pnpm --filter @tsbin/web build)\n");
if (run("pnpm", ["--filter", "@tsbin/web", "build"], repoRoot) !== 0) {
  process.stdout.write(
    "security suite: the SPA does not build right now; browser checks use whatever apps/web/dist holds (pages missing there are reported pending).\n",
  );
}
process.exit(run("pnpm", ["exec", "vitest", "run"], securityRoot));

/** The most worker processes `--workers` accepts; more only contend for the same cores. */
export const MAX_WORKERS = 64;

export interface StartArgs {
  /** Server processes to run: 1 unless `--workers N`. */
  workers: number;
}

const ACCEPTED = "--workers N";

/**
 * Reads the server's command line: `--workers N` (or `--workers=N`) and nothing else. Throws a
 * one-line error naming an argument it does not know, so that a typo such as `--worker 2` does not
 * silently start one process.
 */
export function parseStartArgs(argv: readonly string[]): StartArgs {
  let workers: string | undefined;
  let seen = false;
  // pnpm passes a "--" through when one separates its own options from the script's.
  const args = argv[0] === "--" ? argv.slice(1) : argv;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? "";
    if (arg === "--workers" || arg.startsWith("--workers=")) {
      if (seen) throw new Error("--workers: given more than once");
      seen = true;
      workers = arg === "--workers" ? args[(i += 1)] : arg.slice("--workers=".length);
      if (workers === undefined) throw new Error(workersProblem(undefined));
      continue;
    }
    throw new Error(`unknown argument "${arg}" (the server accepts only ${ACCEPTED})`);
  }
  return { workers: workers === undefined ? 1 : parseWorkerCount(workers) };
}

function parseWorkerCount(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_WORKERS) throw new Error(workersProblem(raw));
  return value;
}

function workersProblem(raw: string | undefined): string {
  return `--workers: must be a whole number from 1 to ${MAX_WORKERS} (got ${raw === undefined ? "nothing" : `"${raw}"`})`;
}

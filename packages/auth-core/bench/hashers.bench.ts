import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { hash as bcryptHash } from "@node-rs/bcrypt";
import {
  createPasswordHasher,
  DEFAULT_PASSWORD_HASHER_PARAMS,
  HASHING_PASSWORD_HASHER_NAMES,
  identifyHasher,
  PASSWORD_HASHER_NAMES,
  type PasswordHasher,
  type PasswordHasherName,
} from "../src/server.ts";

/** Options of `measureVerifyThroughput`. */
export interface VerifyThroughputOptions {
  /** How long to keep verifying; default 3000 ms. */
  readonly durationMs?: number;
  /** Verifications in flight at once; default `os.availableParallelism()`. */
  readonly concurrency?: number;
  /** The hasher to verify with; default: every algorithm at the default work factors. */
  readonly hasher?: PasswordHasher;
}

/** What `measureVerifyThroughput` measured. */
export interface VerifyThroughput {
  readonly algorithm: PasswordHasherName;
  readonly verifies: number;
  readonly elapsedMs: number;
  /** Completed verifications per second, all workers together. */
  readonly perSecond: number;
  /** Mean time one verification took, as seen by its caller. */
  readonly meanLatencyMs: number;
  readonly concurrency: number;
}

function hasherFor(algorithm: PasswordHasherName): PasswordHasher {
  // Put the measured algorithm first when it can hash, so verification takes no extra path.
  const hashing: readonly string[] = HASHING_PASSWORD_HASHER_NAMES;
  const hashers = hashing.includes(algorithm)
    ? [algorithm, ...PASSWORD_HASHER_NAMES.filter((name) => name !== algorithm)]
    : [...PASSWORD_HASHER_NAMES];
  return createPasswordHasher({ hashers });
}

/**
 * Verifies `password` against `encoded` over and over for `durationMs`, with `concurrency`
 * verifications in flight so that libuv's thread pool stays busy, and reports the throughput.
 * The password must match: a benchmark of failures would also time dummy and hardening work.
 */
export async function measureVerifyThroughput(
  encoded: string,
  password: string,
  options: VerifyThroughputOptions = {},
): Promise<VerifyThroughput> {
  const algorithm = identifyHasher(encoded);
  if (algorithm === null) throw new Error(`Not a password hash tsbin knows: ${encoded.slice(0, 20)}...`);
  const hasher = options.hasher ?? hasherFor(algorithm);
  if (!(await hasher.verify(password, encoded)).valid) throw new Error("The password does not match the hash.");
  const concurrency = options.concurrency ?? availableParallelism();
  const durationMs = options.durationMs ?? 3000;
  let verifies = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  async function worker(): Promise<void> {
    while (performance.now() < deadline) {
      await hasher.verify(password, encoded);
      verifies++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - start;
  return {
    algorithm,
    verifies,
    elapsedMs,
    perSecond: (verifies * 1000) / elapsedMs,
    meanLatencyMs: (elapsedMs * concurrency) / Math.max(verifies, 1),
    concurrency,
  };
}

const PASSWORD = "correct horse battery staple";
const LEGACY_SALT = "seasaltseasaltseasalts";

function describeParams(algorithm: PasswordHasherName): string {
  const params = DEFAULT_PASSWORD_HASHER_PARAMS;
  switch (algorithm) {
    case "argon2":
      return `argon2id t=${params.argon2.timeCost} m=${params.argon2.memoryCost} KiB p=${params.argon2.parallelism}`;
    case "pbkdf2_sha256":
    case "pbkdf2_sha1":
      return `${params[algorithm].iterations} iterations`;
    case "scrypt":
      return `N=${params.scrypt.workFactor} r=${params.scrypt.blockSize} p=${params.scrypt.parallelism}`;
    case "bcrypt_sha256":
    case "bcrypt":
      return `${params[algorithm].rounds} rounds`;
    default:
      return "single digest";
  }
}

async function makeDefaultHash(algorithm: PasswordHasherName): Promise<string> {
  const md5 = (text: string): string => createHash("md5").update(text).digest("hex");
  const sha1 = (text: string): string => createHash("sha1").update(text).digest("hex");
  switch (algorithm) {
    case "bcrypt":
      return `bcrypt$${await bcryptHash(PASSWORD, { cost: DEFAULT_PASSWORD_HASHER_PARAMS.bcrypt.rounds })}`;
    case "md5":
      return `md5$${LEGACY_SALT}$${md5(LEGACY_SALT + PASSWORD)}`;
    case "sha1":
      return `sha1$${LEGACY_SALT}$${sha1(LEGACY_SALT + PASSWORD)}`;
    case "unsalted_md5":
      return md5(PASSWORD);
    case "unsalted_sha1":
      return `sha1$$${sha1(PASSWORD)}`;
    default:
      return hasherFor(algorithm).hash(PASSWORD, { algorithm });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "duration-ms": { type: "string", default: "3000" },
      concurrency: { type: "string", default: String(availableParallelism()) },
      json: { type: "boolean", default: false },
    },
  });
  const durationMs = Number(values["duration-ms"]);
  const concurrency = Number(values.concurrency);
  const cores = availableParallelism();
  const results: (VerifyThroughput & { params: string })[] = [];
  if (!values.json) {
    console.log(
      `Node ${process.version}, cores (os.availableParallelism) = ${cores}, ` +
        `UV_THREADPOOL_SIZE = ${process.env.UV_THREADPOOL_SIZE ?? "4 (default)"}, ` +
        `${concurrency} verifications in flight, ${durationMs} ms per hasher`,
    );
    console.log(
      `${"hasher".padEnd(14)} ${"default cost".padEnd(36)} ${"verifies/s".padStart(12)} ${"ms/verify".padStart(10)}`,
    );
  }
  for (const algorithm of PASSWORD_HASHER_NAMES) {
    const encoded = await makeDefaultHash(algorithm);
    const result = {
      ...(await measureVerifyThroughput(encoded, PASSWORD, { durationMs, concurrency })),
      params: describeParams(algorithm),
    };
    results.push(result);
    if (!values.json) {
      console.log(
        `${algorithm.padEnd(14)} ${result.params.padEnd(36)} ${result.perSecond.toFixed(1).padStart(12)} ${result.meanLatencyMs.toFixed(2).padStart(10)}`,
      );
    }
  }
  if (values.json)
    console.log(JSON.stringify({ node: process.version, cores, concurrency, durationMs, results }, null, 2));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}

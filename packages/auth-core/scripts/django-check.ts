import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  createPasswordHasher,
  HASHING_PASSWORD_HASHER_NAMES,
  INSECURE_TEST_PASSWORD_HASHER_PARAMS,
  type HashingPasswordHasherName,
} from "../src/server.ts";

/** The interpreter with Debian's python3-django, python3-argon2 and python3-bcrypt. */
export const PYTHON = "/usr/bin/python3";

const CHECK_SCRIPT = fileURLToPath(new URL("./check-tsbin-hashes.py", import.meta.url));

/** A hash made by tsbin, with a password Django must accept and one it must refuse. */
export interface TsbinVector {
  readonly algorithm: HashingPasswordHasherName;
  readonly password: string;
  readonly wrongPassword: string;
  readonly encoded: string;
  readonly note: string;
}

/** What `check-tsbin-hashes.py` prints. */
export interface DjangoCheckReport {
  readonly versions: Readonly<Record<string, string>>;
  readonly checked: number;
  readonly failed: readonly { readonly encoded: string; readonly problem: string }[];
}

/** Whether Django can be asked, and if not, why. */
export type DjangoAvailability =
  | { readonly status: "available" }
  | { readonly status: "no-python" }
  | { readonly status: "no-django"; readonly detail: string };

const PASSWORDS = ["lètmein", "", " spaces around ", "пароль-🔑", "パスワード", "nul\u0000inside", "p".repeat(4096)];

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(PYTHON, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Finds out whether `PYTHON` exists and can import Django and the two hashing libraries. */
export async function checkDjangoAvailability(): Promise<DjangoAvailability> {
  if (!existsSync(PYTHON)) return { status: "no-python" };
  const { code, stderr } = await run(["-c", "import django, argon2, bcrypt"]);
  return code === 0 ? { status: "available" } : { status: "no-django", detail: stderr.trim() };
}

/**
 * Hashes the sample passwords with every tsbin hasher that can hash, with cheap parameters, plus
 * one hash at the default parameters for each algorithm listed in `withDefaults`.
 */
export async function makeTsbinVectors({
  withDefaults,
}: {
  withDefaults: readonly HashingPasswordHasherName[];
}): Promise<TsbinVector[]> {
  const fast = createPasswordHasher({
    hashers: [...HASHING_PASSWORD_HASHER_NAMES],
    params: INSECURE_TEST_PASSWORD_HASHER_PARAMS,
  });
  const defaults = createPasswordHasher({ hashers: [...HASHING_PASSWORD_HASHER_NAMES] });
  const vectors: TsbinVector[] = [];
  for (const algorithm of HASHING_PASSWORD_HASHER_NAMES) {
    if (withDefaults.includes(algorithm)) {
      const encoded = await defaults.hash("lètmein", { algorithm });
      vectors.push({ algorithm, password: "lètmein", wrongPassword: "lètmeinz", encoded, note: "default parameters" });
    }
    for (const password of PASSWORDS) {
      const encoded = await fast.hash(password, { algorithm });
      vectors.push({ algorithm, password, wrongPassword: `${password}z`, encoded, note: "test parameters" });
    }
  }
  return vectors;
}

/** Runs `check-tsbin-hashes.py` on a JSON file of vectors and returns its report. */
export async function checkWithDjango(file: string): Promise<DjangoCheckReport> {
  const { code, stdout, stderr } = await run([CHECK_SCRIPT, file]);
  if (code !== 0 && code !== 1) throw new Error(`check-tsbin-hashes.py exited with ${code}: ${stderr.trim()}`);
  return JSON.parse(stdout) as DjangoCheckReport;
}

import { PasswordHasherConfigError } from "./errors.ts";

/** Argon2id work factors (the variant and version are always argon2id v=19 for new hashes). */
export interface Argon2Params {
  /** Passes over memory (`t`). */
  readonly timeCost: number;
  /** Memory in KiB (`m`). */
  readonly memoryCost: number;
  /** Lanes (`p`). */
  readonly parallelism: number;
  /** Length of the derived hash in bytes. */
  readonly hashLength: number;
}

/** PBKDF2 work factor. */
export interface Pbkdf2Params {
  readonly iterations: number;
}

/** scrypt work factors. */
export interface ScryptParams {
  /** CPU/memory cost `N`, a power of two. */
  readonly workFactor: number;
  /** Block size `r`. */
  readonly blockSize: number;
  /** Parallelism `p`. */
  readonly parallelism: number;
}

/** bcrypt work factor (log2 of the rounds). */
export interface BcryptParams {
  readonly rounds: number;
}

/** The current work factors of every hasher that has one. */
export interface PasswordHasherParams {
  readonly argon2: Argon2Params;
  readonly pbkdf2_sha256: Pbkdf2Params;
  readonly pbkdf2_sha1: Pbkdf2Params;
  readonly scrypt: ScryptParams;
  readonly bcrypt_sha256: BcryptParams;
  readonly bcrypt: BcryptParams;
}

/** Overrides of some work factors; the rest keep their defaults. */
export type PasswordHasherParamsInput = {
  readonly [Name in keyof PasswordHasherParams]?: Partial<PasswordHasherParams[Name]>;
};

/**
 * tsbin's defaults. Argon2id uses OWASP's recommended minimum (t=2, m=19456 KiB = 19 MiB, p=1,
 * 32-byte hash) rather than Django 5.2's t=2, m=102400 KiB, p=8: a login then costs ~12 ms and
 * 19 MiB instead of ~110 ms and 100 MiB, which keeps a login storm from exhausting memory. A hash
 * with at least these parameters and a 32-byte hash (Django 4.0 and later) verifies and is kept as it
 * is; Django 3.2's 16-byte hashes are rehashed with these parameters at the next login. The others are
 * Django 5.2's: PBKDF2 with 1,000,000 iterations, scrypt N=2^14, r=8, p=1 (64-byte key), bcrypt
 * 12 rounds.
 */
export const DEFAULT_PASSWORD_HASHER_PARAMS: PasswordHasherParams = deepFreeze({
  argon2: { timeCost: 2, memoryCost: 19_456, parallelism: 1, hashLength: 32 },
  pbkdf2_sha256: { iterations: 1_000_000 },
  pbkdf2_sha1: { iterations: 1_000_000 },
  scrypt: { workFactor: 2 ** 14, blockSize: 8, parallelism: 1 },
  bcrypt_sha256: { rounds: 12 },
  bcrypt: { rounds: 12 },
});

/**
 * Tiny work factors for tests and local development only: hashing takes about a millisecond.
 * Hashes made with them are flagged for rehash as soon as the defaults are used again.
 */
export const INSECURE_TEST_PASSWORD_HASHER_PARAMS: PasswordHasherParams = deepFreeze({
  argon2: { timeCost: 1, memoryCost: 64, parallelism: 1, hashLength: 32 },
  pbkdf2_sha256: { iterations: 1_000 },
  pbkdf2_sha1: { iterations: 1_000 },
  scrypt: { workFactor: 2 ** 10, blockSize: 8, parallelism: 1 },
  bcrypt_sha256: { rounds: 4 },
  bcrypt: { rounds: 4 },
});

// Upper bounds for configured work factors and, more importantly, for the factors read from a
// stored hash: a hash claiming 10^12 iterations or a terabyte of memory is refused as malformed
// instead of occupying a worker thread forever. Each leaves room for a decade of increases.
/** The limits applied to configured and stored work factors. */
export const PASSWORD_HASHER_LIMITS = deepFreeze({
  pbkdf2: { maxIterations: 10_000_000 },
  argon2: {
    maxTimeCost: 64,
    maxMemoryCost: 1_048_576,
    // Memory x passes, in KiB: 20x Django's default (102400 x 2).
    maxWork: 4_194_304,
    maxParallelism: 64,
    minHashLength: 4,
    maxHashLength: 64,
    minSaltLength: 8,
    maxSaltLength: 64,
  },
  scrypt: {
    maxWorkFactor: 2 ** 20,
    maxBlockSize: 32,
    maxParallelism: 16,
    // 128 x N x r bytes of memory.
    maxMemoryBytes: 256 * 1024 * 1024,
  },
  bcrypt: { minRounds: 4, maxRounds: 16 },
});

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === "object" && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}

function requireInteger(path: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new PasswordHasherConfigError(
      `Password hasher parameter ${path} must be an integer from ${min} to ${max} (got ${String(value)}).`,
    );
  }
  return value;
}

/** Why an argon2 parameter set breaks `PASSWORD_HASHER_LIMITS`, or `null` when it does not. */
export function argon2ParamsProblem(params: Omit<Argon2Params, "hashLength">): string | null {
  const limits = PASSWORD_HASHER_LIMITS.argon2;
  if (params.memoryCost < 8 * params.parallelism) return "memoryCost must be at least 8 x parallelism";
  if (params.memoryCost * params.timeCost > limits.maxWork) {
    return `memoryCost x timeCost must be at most ${limits.maxWork}`;
  }
  return null;
}

/** Why a scrypt parameter set breaks `PASSWORD_HASHER_LIMITS`, or `null` when it does not. */
export function scryptParamsProblem(params: ScryptParams): string | null {
  const { workFactor, blockSize } = params;
  if (workFactor < 2 || (workFactor & (workFactor - 1)) !== 0) return "workFactor must be a power of two";
  if (128 * workFactor * blockSize > PASSWORD_HASHER_LIMITS.scrypt.maxMemoryBytes) {
    return `128 x workFactor x blockSize must be at most ${PASSWORD_HASHER_LIMITS.scrypt.maxMemoryBytes} bytes`;
  }
  return null;
}

/**
 * Merges overrides into the defaults and checks every factor against `PASSWORD_HASHER_LIMITS`.
 * Throws `PasswordHasherConfigError` naming the first bad parameter.
 */
export function resolvePasswordHasherParams(input: PasswordHasherParamsInput = {}): PasswordHasherParams {
  const defaults = DEFAULT_PASSWORD_HASHER_PARAMS;
  const limits = PASSWORD_HASHER_LIMITS;
  const argon2Input = { ...defaults.argon2, ...input.argon2 };
  const argon2: Argon2Params = {
    timeCost: requireInteger("argon2.timeCost", argon2Input.timeCost, 1, limits.argon2.maxTimeCost),
    memoryCost: requireInteger("argon2.memoryCost", argon2Input.memoryCost, 8, limits.argon2.maxMemoryCost),
    parallelism: requireInteger("argon2.parallelism", argon2Input.parallelism, 1, limits.argon2.maxParallelism),
    hashLength: requireInteger(
      "argon2.hashLength",
      argon2Input.hashLength,
      limits.argon2.minHashLength,
      limits.argon2.maxHashLength,
    ),
  };
  const argon2Problem = argon2ParamsProblem(argon2);
  if (argon2Problem !== null)
    throw new PasswordHasherConfigError(`Password hasher parameters: argon2 ${argon2Problem}.`);

  const pbkdf2 = (name: "pbkdf2_sha256" | "pbkdf2_sha1"): Pbkdf2Params => ({
    iterations: requireInteger(
      `${name}.iterations`,
      input[name]?.iterations ?? defaults[name].iterations,
      1,
      limits.pbkdf2.maxIterations,
    ),
  });

  const scryptInput = { ...defaults.scrypt, ...input.scrypt };
  const scrypt: ScryptParams = {
    workFactor: requireInteger("scrypt.workFactor", scryptInput.workFactor, 2, limits.scrypt.maxWorkFactor),
    blockSize: requireInteger("scrypt.blockSize", scryptInput.blockSize, 1, limits.scrypt.maxBlockSize),
    parallelism: requireInteger("scrypt.parallelism", scryptInput.parallelism, 1, limits.scrypt.maxParallelism),
  };
  const scryptProblem = scryptParamsProblem(scrypt);
  if (scryptProblem !== null)
    throw new PasswordHasherConfigError(`Password hasher parameters: scrypt ${scryptProblem}.`);

  const bcrypt = (name: "bcrypt_sha256" | "bcrypt"): BcryptParams => ({
    rounds: requireInteger(
      `${name}.rounds`,
      input[name]?.rounds ?? defaults[name].rounds,
      limits.bcrypt.minRounds,
      limits.bcrypt.maxRounds,
    ),
  });

  return deepFreeze({
    argon2,
    pbkdf2_sha256: pbkdf2("pbkdf2_sha256"),
    pbkdf2_sha1: pbkdf2("pbkdf2_sha1"),
    scrypt,
    bcrypt_sha256: bcrypt("bcrypt_sha256"),
    bcrypt: bcrypt("bcrypt"),
  });
}

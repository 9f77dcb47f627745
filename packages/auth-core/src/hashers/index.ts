import { generateRandomString } from "../crypto.ts";
import { createHasherCostEstimate, waitUntilElapsed } from "./cost-estimate.ts";
import { isPasswordTooLong } from "../password-length.ts";
import { createArgon2Hasher } from "./argon2.ts";
import { createBcryptHasher } from "./bcrypt.ts";
import { PasswordHasherConfigError, PasswordTooLongError } from "./errors.ts";
import { identifyHasher } from "./identify.ts";
import { createLegacyDigestHasher } from "./legacy-digest.ts";
import {
  DEFAULT_PASSWORD_HASHERS,
  isHashingPasswordHasherName,
  parsePasswordHashers,
  type HashingPasswordHasherName,
  type PasswordHasherName,
} from "./names.ts";
import { resolvePasswordHasherParams, type PasswordHasherParams, type PasswordHasherParamsInput } from "./params.ts";
import { createPbkdf2Hasher } from "./pbkdf2.ts";
import { createScryptHasher } from "./scrypt.ts";
import type { HasherImplementation, ParsedHash } from "./types.ts";
import { isPasswordUsable } from "./unusable.ts";

/** The outcome of checking a password against a stored hash. */
export interface VerifyPasswordResult {
  /** Whether the password matches. */
  readonly valid: boolean;
  /**
   * Whether the stored hash should be replaced by `hash(password)` now: the password matched and
   * the hash uses another algorithm than the preferred one or weaker parameters. Never true for
   * a wrong password, so a failed login cannot rewrite the hash.
   */
  readonly needsRehash: boolean;
}

/** Options of `hash`. */
export interface HashPasswordOptions {
  /** A configured hasher that can hash; defaults to the preferred (first) one. */
  readonly algorithm?: PasswordHasherName;
  /**
   * Django's `make_password(password, salt)`: a fixed salt, for reproducing known hashes (a
   * `RangeError` if it does not suit the algorithm). Leave it out in production; every hash then
   * gets a fresh random salt.
   */
  readonly salt?: string;
}

/** What kind of work a hasher call did, as reported to `onHasherCall`. */
export type HasherCallKind = "hash" | "verify" | "dummy" | "harden";

/** Options of `createPasswordHasher`. */
export interface PasswordHasherOptions {
  /**
   * Django's `PASSWORD_HASHERS`: names in order, as a list or a comma-separated string. The
   * first one hashes new passwords; all of them verify. Defaults to `DEFAULT_PASSWORD_HASHERS`.
   */
  readonly hashers?: readonly string[] | string;
  /** Work factors overriding `DEFAULT_PASSWORD_HASHER_PARAMS` (lower them in tests). */
  readonly params?: PasswordHasherParamsInput;
  /**
   * Called once per unit of expensive work, before it starts: lets tests and metrics check that
   * every login attempt runs the hasher exactly once (Django's CountingMD5PasswordHasher idea),
   * plus, while the preferred hasher's cost is not yet known, its dummy alongside when the stored
   * hash is of another algorithm or weaker without a way to top it up.
   */
  readonly onHasherCall?: (algorithm: PasswordHasherName, kind: HasherCallKind) => void;
}

/** A configured set of hashers: Django's `make_password`, `check_password` and friends. */
export interface PasswordHasher {
  /** The hasher names in order; the first is the preferred one. */
  readonly hashers: readonly PasswordHasherName[];
  /** The hasher used for new hashes. */
  readonly preferred: HashingPasswordHasherName;
  /** The work factors in force. */
  readonly params: PasswordHasherParams;
  /**
   * Hashes a password with the preferred (or the given) hasher and a random salt. The password
   * is used exactly as given: no trimming, no normalisation. Throws `PasswordTooLongError` for
   * more than `PASSWORD_MAX_LENGTH` characters, before any work.
   */
  hash(password: string, options?: HashPasswordOptions): Promise<string>;
  /**
   * Checks a password against a stored hash. Never throws: an unusable, unknown, malformed or
   * unsafe hash is `{ valid: false }` after the same work as a real verification (`dummyVerify`),
   * as in Django's `check_password`. A hash of another algorithm than the preferred one (or a
   * weaker argon2 hash) answers when a current hash would: its check is held until the duration of
   * one of the preferred hasher's recent checks, drawn at random, has passed, or, before five have
   * been timed, runs with `dummyVerify` alongside. A password over `PASSWORD_MAX_LENGTH` is
   * `{ valid: false }` at once, without hashing anything.
   */
  verify(password: string, encoded: string | null | undefined): Promise<VerifyPasswordResult>;
  /**
   * Costs what verifying against the preferred hasher at its current parameters costs, and checks
   * nothing: call it when the user does not exist so the response takes as long (CVE-2024-39329).
   */
  dummyVerify(): Promise<void>;
  /**
   * Django's `must_update`: whether a stored hash uses another algorithm than the preferred one
   * or weaker parameters. False for hashes that cannot be verified at all.
   */
  needsRehash(encoded: string): boolean;
}

const INVALID: VerifyPasswordResult = Object.freeze({ valid: false, needsRehash: false });

// The length of the random password a dummy verification hashes (Django's unusable suffix).
const DUMMY_PASSWORD_LENGTH = 40;

function createImplementation(name: PasswordHasherName, params: PasswordHasherParams): HasherImplementation {
  switch (name) {
    case "argon2":
      return createArgon2Hasher(params.argon2);
    case "pbkdf2_sha256":
    case "pbkdf2_sha1":
      return createPbkdf2Hasher(name, params[name]);
    case "scrypt":
      return createScryptHasher(params.scrypt);
    case "bcrypt_sha256":
    case "bcrypt":
      return createBcryptHasher(name, params[name]);
    case "md5":
    case "sha1":
    case "unsalted_md5":
    case "unsalted_sha1":
      return createLegacyDigestHasher(name);
  }
}

function preferredOf(names: readonly PasswordHasherName[]): HashingPasswordHasherName {
  const [first] = names;
  // parsePasswordHashers already guarantees this; the check gives the narrower type.
  if (first === undefined || !isHashingPasswordHasherName(first)) {
    throw new PasswordHasherConfigError("PASSWORD_HASHERS must start with a hasher that can hash.");
  }
  return first;
}

/**
 * Builds a `PasswordHasher` from Django's `PASSWORD_HASHERS` list and optional work factors.
 * Throws `PasswordHasherConfigError` (one line, naming the problem) for an unknown or repeated
 * name, a verify-only hasher in first place, or an out-of-range parameter.
 *
 * @example
 * const hasher = createPasswordHasher({ hashers: process.env.PASSWORD_HASHERS });
 * const { valid, needsRehash } = await hasher.verify(password, user.password);
 * if (valid && needsRehash) await savePassword(user.id, await hasher.hash(password));
 */
export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const names = parsePasswordHashers(options.hashers ?? DEFAULT_PASSWORD_HASHERS);
  const params = resolvePasswordHasherParams(options.params);
  const implementations = new Map(names.map((name) => [name, createImplementation(name, params)] as const));
  const preferred = preferredOf(names);
  const report = options.onHasherCall ?? ((): void => undefined);

  function encoderFor(name: PasswordHasherName): NonNullable<HasherImplementation["encode"]> {
    const encode = implementations.get(name)?.encode;
    if (encode === undefined) {
      throw new PasswordHasherConfigError(
        implementations.has(name)
          ? `The "${name}" password hasher can only verify existing hashes.`
          : `Unknown password hashing algorithm "${name}". Did you specify it in PASSWORD_HASHERS?`,
      );
    }
    return encode;
  }
  const encodePreferred = encoderFor(preferred);
  const preferredCost = createHasherCostEstimate();

  async function dummyVerify(): Promise<void> {
    report(preferred, "dummy");
    const started = performance.now();
    await encodePreferred(generateRandomString(DUMMY_PASSWORD_LENGTH));
    preferredCost.record(performance.now() - started);
  }

  async function hash(password: string, hashOptions: HashPasswordOptions = {}): Promise<string> {
    if (typeof password !== "string") throw new TypeError("The password must be a string.");
    if (isPasswordTooLong(password)) throw new PasswordTooLongError();
    const algorithm = hashOptions.algorithm ?? preferred;
    const encode = encoderFor(algorithm);
    report(algorithm, "hash");
    return encode(password, hashOptions.salt);
  }

  function parse(encoded: string): { algorithm: PasswordHasherName; parsed: ParsedHash | null } | null {
    if (!isPasswordUsable(encoded)) return null;
    const algorithm = identifyHasher(encoded);
    const implementation = algorithm === null ? undefined : implementations.get(algorithm);
    if (algorithm === null || implementation === undefined) return null;
    return { algorithm, parsed: implementation.parse(encoded) };
  }

  async function verify(password: string, encoded: string | null | undefined): Promise<VerifyPasswordResult> {
    // Refused before any work: the caller rejects such input anyway, and hashing it is the DoS.
    if (typeof password !== "string" || isPasswordTooLong(password)) return INVALID;
    try {
      const found = typeof encoded === "string" ? parse(encoded) : null;
      if (found?.parsed == null) {
        await dummyVerify();
        return INVALID;
      }
      const { algorithm, parsed } = found;
      const { hardenRuntime } = parsed;
      const hasherChanged = algorithm !== preferred;
      const mustUpdate = hasherChanged || parsed.isWeaker;
      // A hash of another algorithm (an imported pbkdf2_sha256 with few iterations, say), or a
      // weaker one whose cost cannot be topped up afterwards, is cheaper to check than a current
      // hash. Its check is padded, right password or wrong, so it takes at least as long as one of a
      // current hash and its duration tells nothing about the stored hash (Django leaves the
      // changed-algorithm case open).
      const pad = hasherChanged || (parsed.isWeaker && hardenRuntime === undefined);
      report(algorithm, "verify");
      const started = performance.now();
      let valid: boolean;
      if (!pad) {
        valid = await parsed.verify(password);
        if (!mustUpdate) preferredCost.record(performance.now() - started);
      } else {
        // Held until a current hash's check would have ended (a recent one's duration, drawn at
        // random), without a second hash: a dummy alongside would compete with this check for the
        // cores and make it slower than a current one. Until enough checks have been timed, the
        // dummy runs alongside.
        const cost = preferredCost.draw();
        const padding = cost === null ? dummyVerify() : waitUntilElapsed(started, cost);
        [valid] = await Promise.all([parsed.verify(password), padding]);
      }
      // Django's check_password: bring a failed check of an outdated hash of the preferred
      // algorithm up to the current cost (harden_runtime).
      if (!valid && !pad && parsed.isWeaker && hardenRuntime !== undefined) {
        report(algorithm, "harden");
        await hardenRuntime(password);
      }
      return { valid, needsRehash: valid && mustUpdate };
    } catch {
      return INVALID;
    }
  }

  function needsRehash(encoded: string): boolean {
    const found = typeof encoded === "string" ? parse(encoded) : null;
    if (found?.parsed == null) return false;
    return found.algorithm !== preferred || found.parsed.isWeaker;
  }

  return Object.freeze({ hashers: Object.freeze(names), preferred, params, hash, verify, dummyVerify, needsRehash });
}

let defaultHasher: PasswordHasher | undefined;

function getDefaultHasher(): PasswordHasher {
  defaultHasher ??= createPasswordHasher();
  return defaultHasher;
}

/** `hash` of the default `PasswordHasher` (`DEFAULT_PASSWORD_HASHERS`, default work factors). */
export function hashPassword(password: string, options?: HashPasswordOptions): Promise<string> {
  return getDefaultHasher().hash(password, options);
}

/** `verify` of the default `PasswordHasher`. */
export function verifyPassword(password: string, encoded: string | null | undefined): Promise<VerifyPasswordResult> {
  return getDefaultHasher().verify(password, encoded);
}

/** `dummyVerify` of the default `PasswordHasher`. */
export function dummyVerify(): Promise<void> {
  return getDefaultHasher().dummyVerify();
}

/** `needsRehash` of the default `PasswordHasher`. */
export function needsRehash(encoded: string): boolean {
  return getDefaultHasher().needsRehash(encoded);
}

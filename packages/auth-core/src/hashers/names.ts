import { PasswordHasherConfigError } from "./errors.ts";

/** Every hasher tsbin knows, by Django's algorithm name (the prefix of the encoded hash). */
export const PASSWORD_HASHER_NAMES = [
  "argon2",
  "pbkdf2_sha256",
  "pbkdf2_sha1",
  "scrypt",
  "bcrypt_sha256",
  "bcrypt",
  "sha1",
  "md5",
  "unsalted_sha1",
  "unsalted_md5",
] as const;

/** A hasher name accepted in `PASSWORD_HASHERS`. */
export type PasswordHasherName = (typeof PASSWORD_HASHER_NAMES)[number];

/**
 * The hashers that can make new hashes and therefore come first in `PASSWORD_HASHERS`. The
 * others only verify stored hashes so that they can be upgraded at the next login: the legacy
 * digests are far too fast, and plain `bcrypt` silently truncates passwords at 72 bytes.
 */
export const HASHING_PASSWORD_HASHER_NAMES = [
  "argon2",
  "pbkdf2_sha256",
  "pbkdf2_sha1",
  "scrypt",
  "bcrypt_sha256",
] as const satisfies readonly PasswordHasherName[];

/** A hasher that can make new hashes. */
export type HashingPasswordHasherName = (typeof HASHING_PASSWORD_HASHER_NAMES)[number];

/** tsbin's default `PASSWORD_HASHERS`: Django 5's list, argon2 first. */
export const DEFAULT_PASSWORD_HASHERS: readonly PasswordHasherName[] = Object.freeze([
  "argon2",
  "pbkdf2_sha256",
  "pbkdf2_sha1",
  "scrypt",
  "bcrypt_sha256",
  "bcrypt",
]);

const KNOWN: ReadonlySet<string> = new Set(PASSWORD_HASHER_NAMES);
const HASHING: ReadonlySet<string> = new Set(HASHING_PASSWORD_HASHER_NAMES);

/** Whether `name` is a known hasher name. */
export function isPasswordHasherName(name: string): name is PasswordHasherName {
  return KNOWN.has(name);
}

/** Whether the named hasher can make new hashes (rather than only verify). */
export function isHashingPasswordHasherName(name: PasswordHasherName): name is HashingPasswordHasherName {
  return HASHING.has(name);
}

/**
 * Reads `PASSWORD_HASHERS`: a comma-separated string (as in the environment) or a list of names.
 * Surrounding spaces and empty entries are ignored. Throws `PasswordHasherConfigError` for an
 * empty list, an unknown or repeated name, or a verify-only hasher in first place.
 */
export function parsePasswordHashers(value: string | readonly string[]): PasswordHasherName[] {
  const entries = (typeof value === "string" ? value.split(",") : value)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) {
    throw new PasswordHasherConfigError("PASSWORD_HASHERS is empty: name at least one password hasher.");
  }
  const names: PasswordHasherName[] = [];
  for (const entry of entries) {
    if (!isPasswordHasherName(entry)) {
      throw new PasswordHasherConfigError(
        `PASSWORD_HASHERS: unknown password hasher "${entry}" (known: ${PASSWORD_HASHER_NAMES.join(", ")}).`,
      );
    }
    if (names.includes(entry)) {
      throw new PasswordHasherConfigError(`PASSWORD_HASHERS: "${entry}" is listed twice.`);
    }
    names.push(entry);
  }
  const [preferred] = names;
  if (preferred !== undefined && !isHashingPasswordHasherName(preferred)) {
    throw new PasswordHasherConfigError(
      `PASSWORD_HASHERS: "${preferred}" can only verify old hashes and cannot come first; ` +
        `start the list with one of ${HASHING_PASSWORD_HASHER_NAMES.join(", ")}.`,
    );
  }
  return names;
}

import { generateRandomString, RANDOM_STRING_CHARS } from "../crypto.ts";
import { codePointLength } from "../unicode.ts";

// Django's BasePasswordHasher.salt_entropy.
const SALT_ENTROPY_BITS = 128;
const BITS_PER_CHAR = Math.log2(RANDOM_STRING_CHARS.length);

/** Django's salt: 22 characters of `[a-zA-Z0-9]`, at least 128 bits of entropy. */
export function generateSalt(): string {
  return generateRandomString(Math.ceil(SALT_ENTROPY_BITS / BITS_PER_CHAR));
}

/** Django's `must_update_salt`: whether a salt this long carries less than 128 bits. */
export function isSaltWeak(saltLength: number): boolean {
  return saltLength * BITS_PER_CHAR < SALT_ENTROPY_BITS;
}

/** Whether a text salt (as PBKDF2, scrypt and the digests store it) is too short. */
export function isTextSaltWeak(salt: string): boolean {
  return isSaltWeak(codePointLength(salt));
}

/** Checks a caller-supplied salt the way Django's `_check_encode_args` does. */
export function requireTextSalt(salt: string): string {
  if (salt.length === 0 || salt.includes("$")) {
    throw new RangeError("A salt must be a non-empty string without '$'.");
  }
  return salt;
}

import { sha256 } from "@oslojs/crypto/sha2";
import { generateRandomString as generateFromAlphabet, type RandomReader } from "@oslojs/crypto/random";
import { constantTimeEqual as constantTimeEqualBytes } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "./base32.ts";

/** Bytes of randomness in every id and secret: 160 bits, above the 120 the session design asks. */
export const RANDOM_ID_BYTES = 20;

/** Django's `RANDOM_STRING_CHARS`: the alphabet of its salts and unusable-password suffixes. */
export const RANDOM_STRING_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

const encoder = new TextEncoder();

/** `length` bytes from Web Crypto's CSPRNG (browsers, and Node 20 as `globalThis.crypto`). */
export function generateRandomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return bytes;
}

const secureRandom: RandomReader = {
  read(bytes: Uint8Array): void {
    // getRandomValues is typed for ArrayBuffer-backed views only, so fill a fresh one and copy.
    bytes.set(generateRandomBytes(bytes.length));
  },
};

/**
 * A random identifier or secret: 160 bits, base32 lower-case without padding (32 characters
 * of `a-z2-7`), safe in URLs, cookies and file names.
 */
export function generateRandomId(): string {
  return encodeBase32LowerCaseNoPadding(generateRandomBytes(RANDOM_ID_BYTES));
}

/** Django's `get_random_string`: `length` characters drawn uniformly from `alphabet`. */
export function generateRandomString(length: number, alphabet: string = RANDOM_STRING_CHARS): string {
  return generateFromAlphabet(secureRandom, alphabet, length);
}

/** SHA-256 of a token secret (UTF-8): what the database stores instead of the secret. */
export function hashSecret(secret: string): Uint8Array {
  return sha256(encoder.encode(secret));
}

/**
 * Compares two byte arrays or strings (as UTF-8) in time that depends only on their lengths.
 * Values of different lengths are unequal.
 */
export function constantTimeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const left = typeof a === "string" ? encoder.encode(a) : a;
  const right = typeof b === "string" ? encoder.encode(b) : b;
  if (left.byteLength !== right.byteLength) return false;
  return constantTimeEqualBytes(left, right);
}

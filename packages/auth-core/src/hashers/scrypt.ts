import { scrypt, type ScryptOptions } from "node:crypto";
import { encodedHashesEqual } from "./compare.ts";
import { PASSWORD_HASHER_LIMITS, scryptParamsProblem, type ScryptParams } from "./params.ts";
import { generateSalt, isTextSaltWeak, requireTextSalt } from "./salt.ts";
import type { HasherImplementation, ParsedHash } from "./types.ts";

// Django's ScryptPasswordHasher always derives 64 bytes.
const KEY_LENGTH = 64;

// `scrypt$<N>$<salt>$<r>$<p>$<base64 key>` (Django 4.0+).
const PATTERN = /^scrypt\$([1-9][0-9]{0,7})\$([^$]+)\$([1-9][0-9]{0,2})\$([1-9][0-9]{0,2})\$([A-Za-z0-9+/]{86}==)$/;

function deriveKey(password: string, salt: string, params: ScryptParams): Promise<Buffer> {
  const { workFactor: N, blockSize: r, parallelism: p } = params;
  const options: ScryptOptions = {
    N,
    r,
    p,
    // OpenSSL needs about 128 * r * (N + p + 2) bytes; Node's default ceiling is 32 MiB, too low
    // for stronger settings, so allow exactly what the (already bounded) parameters need.
    maxmem: 128 * r * (N + p + 2) + 1024 * 1024,
  };
  // The async form runs on libuv's thread pool.
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

async function encodeWith(password: string, salt: string, params: ScryptParams): Promise<string> {
  const key = await deriveKey(password, salt, params);
  return `scrypt$${params.workFactor}$${salt}$${params.blockSize}$${params.parallelism}$${key.toString("base64")}`;
}

/**
 * Django's `ScryptPasswordHasher` (Django 4.0+):
 * `scrypt$<work factor>$<salt>$<block size>$<parallelism>$<base64 hash>`, 64-byte key.
 */
export function createScryptHasher(params: ScryptParams): HasherImplementation {
  return {
    algorithm: "scrypt",
    encode: (password, salt) => encodeWith(password, requireTextSalt(salt ?? generateSalt()), params),
    parse(encoded): ParsedHash | null {
      const match = PATTERN.exec(encoded);
      if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined || match[4] === undefined) {
        return null;
      }
      const salt = match[2];
      const stored: ScryptParams = {
        workFactor: Number(match[1]),
        blockSize: Number(match[3]),
        parallelism: Number(match[4]),
      };
      const limits = PASSWORD_HASHER_LIMITS.scrypt;
      if (
        stored.workFactor > limits.maxWorkFactor ||
        stored.blockSize > limits.maxBlockSize ||
        stored.parallelism > limits.maxParallelism ||
        scryptParamsProblem(stored) !== null
      ) {
        return null;
      }
      return {
        isWeaker:
          stored.workFactor < params.workFactor ||
          stored.blockSize < params.blockSize ||
          stored.parallelism < params.parallelism ||
          isTextSaltWeak(salt),
        verify: async (password) => encodedHashesEqual(encoded, await encodeWith(password, salt, stored)),
        // No hardenRuntime (Django has none for scrypt): its cost does not split into extra rounds.
      };
    },
  };
}

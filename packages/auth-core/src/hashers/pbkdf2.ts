import { pbkdf2 } from "node:crypto";
import { promisify } from "node:util";
import { encodedHashesEqual } from "./compare.ts";
import { PASSWORD_HASHER_LIMITS, type Pbkdf2Params } from "./params.ts";
import { generateSalt, isTextSaltWeak, requireTextSalt } from "./salt.ts";
import type { HasherImplementation, ParsedHash } from "./types.ts";

// node:crypto's pbkdf2 runs on libuv's thread pool, off the event loop.
const pbkdf2Async = promisify(pbkdf2);

const DIGESTS = {
  pbkdf2_sha256: { digest: "sha256", keyLength: 32 },
  pbkdf2_sha1: { digest: "sha1", keyLength: 20 },
} as const;

type Pbkdf2Algorithm = keyof typeof DIGESTS;

// `<algorithm>$<iterations>$<salt>$<base64 key>`; iterations as Django writes them (no sign, no
// leading zero), so that a re-encoded hash compares equal byte for byte.
const PATTERNS: Readonly<Record<Pbkdf2Algorithm, RegExp>> = {
  pbkdf2_sha256: /^pbkdf2_sha256\$([1-9][0-9]{0,9})\$([^$]+)\$([A-Za-z0-9+/]{43}=)$/,
  pbkdf2_sha1: /^pbkdf2_sha1\$([1-9][0-9]{0,9})\$([^$]+)\$([A-Za-z0-9+/]{27}=)$/,
};

async function derive(algorithm: Pbkdf2Algorithm, password: string, salt: string, iterations: number): Promise<string> {
  const { digest, keyLength } = DIGESTS[algorithm];
  const key = await pbkdf2Async(password, salt, iterations, keyLength, digest);
  return key.toString("base64");
}

async function encodeWith(
  algorithm: Pbkdf2Algorithm,
  password: string,
  salt: string,
  iterations: number,
): Promise<string> {
  return `${algorithm}$${iterations}$${salt}$${await derive(algorithm, password, salt, iterations)}`;
}

/**
 * Django's `PBKDF2PasswordHasher` (`pbkdf2_sha256`) and `PBKDF2SHA1PasswordHasher`
 * (`pbkdf2_sha1`): `<algorithm>$<iterations>$<salt>$<base64 hash>`, the salt used as UTF-8 text.
 */
export function createPbkdf2Hasher(algorithm: Pbkdf2Algorithm, params: Pbkdf2Params): HasherImplementation {
  return {
    algorithm,
    encode: (password, salt) =>
      encodeWith(algorithm, password, requireTextSalt(salt ?? generateSalt()), params.iterations),
    parse(encoded): ParsedHash | null {
      const match = PATTERNS[algorithm].exec(encoded);
      if (match?.[1] === undefined || match[2] === undefined) return null;
      const iterations = Number(match[1]);
      const salt = match[2];
      if (iterations > PASSWORD_HASHER_LIMITS.pbkdf2.maxIterations) return null;
      return {
        isWeaker: iterations < params.iterations || isTextSaltWeak(salt),
        verify: async (password) =>
          encodedHashesEqual(encoded, await encodeWith(algorithm, password, salt, iterations)),
        async hardenRuntime(password) {
          // Django's harden_runtime: run the iterations the stored hash is short of.
          const missing = params.iterations - iterations;
          if (missing > 0) await derive(algorithm, password, salt, missing);
        },
      };
    },
  };
}

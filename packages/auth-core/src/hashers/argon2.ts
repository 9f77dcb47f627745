import { hash as argon2Hash, verify as argon2Verify, type Algorithm, type Version } from "@node-rs/argon2";
import { argon2ParamsProblem, PASSWORD_HASHER_LIMITS, type Argon2Params } from "./params.ts";
import { generateSalt, isSaltWeak, requireTextSalt } from "./salt.ts";
import type { HasherImplementation, ParsedHash } from "./types.ts";

// The values of the package's const enums Algorithm.Argon2id and Version.V0x13, which modules
// compiled in isolation cannot reference.
const ARGON2ID = 2 as Algorithm;
const VERSION_19 = 1 as Version;

// Django stores "argon2" followed by argon2-cffi's PHC string; salt and hash are base64 without
// padding. A hash without "v=" is version 16 (0x10), as argon2-cffi and the PHC format say.
const PATTERN =
  /^argon2\$(argon2id|argon2i|argon2d)\$(?:v=(16|19)\$)?m=([1-9][0-9]{0,9}),t=([1-9][0-9]{0,9}),p=([1-9][0-9]{0,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

const encoder = new TextEncoder();

function base64Bytes(unpadded: string): number {
  return Math.floor((unpadded.length * 3) / 4);
}

async function encodeWith(password: string, salt: string, params: Argon2Params): Promise<string> {
  const saltBytes = encoder.encode(requireTextSalt(salt));
  if (saltBytes.length < PASSWORD_HASHER_LIMITS.argon2.minSaltLength) {
    throw new RangeError(`An argon2 salt needs at least ${PASSWORD_HASHER_LIMITS.argon2.minSaltLength} bytes.`);
  }
  // @node-rs/argon2's async hash runs on libuv's thread pool.
  const phc = await argon2Hash(password, {
    algorithm: ARGON2ID,
    version: VERSION_19,
    timeCost: params.timeCost,
    memoryCost: params.memoryCost,
    parallelism: params.parallelism,
    outputLen: params.hashLength,
    salt: saltBytes,
  });
  return `argon2${phc}`;
}

/**
 * Django's `Argon2PasswordHasher`: `argon2$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`.
 * New hashes are argon2id v19 with a 22-character text salt, as Django makes them; verification
 * accepts argon2id, argon2i and argon2d of either version with the parameters the hash carries.
 */
export function createArgon2Hasher(params: Argon2Params): HasherImplementation {
  return {
    algorithm: "argon2",
    encode: (password, salt) => encodeWith(password, salt ?? generateSalt(), params),
    parse(encoded): ParsedHash | null {
      const match = PATTERN.exec(encoded);
      if (!match) return null;
      const [, variety, version = "16", m = "", t = "", p = "", salt = "", hash = ""] = match;
      const stored = { memoryCost: Number(m), timeCost: Number(t), parallelism: Number(p) };
      const saltLength = base64Bytes(salt);
      const hashLength = base64Bytes(hash);
      const limits = PASSWORD_HASHER_LIMITS.argon2;
      if (
        stored.memoryCost > limits.maxMemoryCost ||
        stored.timeCost > limits.maxTimeCost ||
        stored.parallelism > limits.maxParallelism ||
        saltLength < limits.minSaltLength ||
        saltLength > limits.maxSaltLength ||
        hashLength < limits.minHashLength ||
        hashLength > limits.maxHashLength ||
        argon2ParamsProblem(stored) !== null
      ) {
        return null;
      }
      const phc = encoded.slice("argon2".length);
      return {
        isWeaker:
          variety !== "argon2id" ||
          version !== "19" ||
          stored.memoryCost < params.memoryCost ||
          stored.timeCost < params.timeCost ||
          stored.parallelism < params.parallelism ||
          hashLength < params.hashLength ||
          isSaltWeak(saltLength),
        async verify(password) {
          try {
            // The library recomputes with the stored parameters and compares in constant time.
            return await argon2Verify(phc, password);
          } catch {
            return false;
          }
        },
        // No hardenRuntime (Django has none for argon2): its cost does not split into extra passes.
      };
    },
  };
}

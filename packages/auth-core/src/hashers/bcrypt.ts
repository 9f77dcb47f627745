import { createHash } from "node:crypto";
import { hash as bcryptHash, verify as bcryptVerify } from "@node-rs/bcrypt";
import { PASSWORD_HASHER_LIMITS, type BcryptParams } from "./params.ts";
import type { HasherImplementation, ParsedHash } from "./types.ts";

type BcryptAlgorithm = "bcrypt_sha256" | "bcrypt";

// `<algorithm>$` followed by the modular-crypt bcrypt string `$2b$<cost>$<22 salt><31 hash>`.
const PATTERNS: Readonly<Record<BcryptAlgorithm, RegExp>> = {
  bcrypt_sha256: /^bcrypt_sha256\$(\$2[abxy]?\$([0-9]{2})\$[./A-Za-z0-9]{53})$/,
  bcrypt: /^bcrypt\$(\$2[abxy]?\$([0-9]{2})\$[./A-Za-z0-9]{53})$/,
};

// A whole bcrypt salt as bcrypt.gensalt() makes it, for callers that pass their own.
const SALT_PATTERN = /^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{22}$/;

// Django's bcrypt_sha256 feeds bcrypt the hex SHA-256 of the password (64 ASCII bytes), so long
// passwords are not cut at bcrypt's 72-byte limit. The digest is microseconds of work.
function prehash(algorithm: BcryptAlgorithm, password: string): string {
  return algorithm === "bcrypt_sha256" ? createHash("sha256").update(password, "utf8").digest("hex") : password;
}

/**
 * Django's `BCryptSHA256PasswordHasher` (`bcrypt_sha256$$2b$12$...`), which can hash, and
 * `BCryptPasswordHasher` (`bcrypt$$2b$12$...`), verify-only because bcrypt ignores everything
 * after a password's 72nd byte.
 */
export function createBcryptHasher(algorithm: BcryptAlgorithm, params: BcryptParams): HasherImplementation {
  const encode =
    algorithm === "bcrypt_sha256"
      ? async (password: string, salt?: string): Promise<string> => {
          if (salt !== undefined && !SALT_PATTERN.test(salt)) {
            throw new RangeError("A bcrypt salt must look like bcrypt.gensalt() output ($2b$12$ + 22 characters).");
          }
          const options = salt === undefined ? { cost: params.rounds, version: "2b" as const } : { salt };
          return `${algorithm}$${await bcryptHash(prehash(algorithm, password), options)}`;
        }
      : undefined;
  return {
    algorithm,
    ...(encode ? { encode } : {}),
    parse(encoded): ParsedHash | null {
      const match = PATTERNS[algorithm].exec(encoded);
      if (match?.[1] === undefined || match[2] === undefined) return null;
      const crypt = match[1];
      const rounds = Number(match[2]);
      const limits = PASSWORD_HASHER_LIMITS.bcrypt;
      if (rounds < limits.minRounds || rounds > limits.maxRounds) return null;
      return {
        isWeaker: rounds < params.rounds,
        async verify(password) {
          try {
            return await bcryptVerify(prehash(algorithm, password), crypt);
          } catch {
            return false;
          }
        },
        async hardenRuntime(password) {
          // Django's harden_runtime: 2^(current - stored) - 1 more hashes at the stored cost add
          // up to one hash at the current cost.
          const input = prehash(algorithm, password);
          for (let remaining = 2 ** (params.rounds - rounds) - 1; remaining > 0; remaining--) {
            await bcryptHash(input, { cost: rounds });
          }
        },
      };
    },
  };
}

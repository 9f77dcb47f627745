import { describe, expect, it } from "vitest";
import { createRecordingHasher } from "./test-support.ts";

const SALT22 = "seasaltseasaltseasalts";
const B64_32 = "A".repeat(43) + "=";
const ARGON_SALT = "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dg";
const ARGON_HASH = "A".repeat(43);
const BCRYPT_BODY = "./" + "a".repeat(51);

const MALFORMED: readonly (readonly [string, string])[] = [
  ["empty", ""],
  ["a lone separator", "$"],
  ["no separator", "garbage"],
  ["an unknown algorithm", "sha512$salt$abcdef"],
  ["the algorithm name only", "argon2$"],
  ["argon2 without parameters", "argon2$argon2id$"],
  ["argon2 without a hash", `argon2$argon2id$v=19$m=64,t=1,p=1$${ARGON_SALT}`],
  ["argon2 with an empty hash", `argon2$argon2id$v=19$m=64,t=1,p=1$${ARGON_SALT}$`],
  ["argon2 of an unknown variety", `argon2$argon2x$v=19$m=64,t=1,p=1$${ARGON_SALT}$${ARGON_HASH}`],
  ["argon2 of an unknown version", `argon2$argon2id$v=20$m=64,t=1,p=1$${ARGON_SALT}$${ARGON_HASH}`],
  ["argon2 with parameters out of order", `argon2$argon2id$v=19$t=1,m=64,p=1$${ARGON_SALT}$${ARGON_HASH}`],
  ["argon2 with a 4 GiB memory cost", `argon2$argon2id$v=19$m=4194304,t=1,p=1$${ARGON_SALT}$${ARGON_HASH}`],
  ["argon2 with a million passes", `argon2$argon2id$v=19$m=64,t=1000000,p=1$${ARGON_SALT}$${ARGON_HASH}`],
  ["argon2 with memory below 8 x lanes", `argon2$argon2id$v=19$m=8,t=1,p=4$${ARGON_SALT}$${ARGON_HASH}`],
  ["argon2 with a 3-byte salt", `argon2$argon2id$v=19$m=64,t=1,p=1$YWJj$${ARGON_HASH}`],
  ["argon2 with padding", `argon2$argon2id$v=19$m=64,t=1,p=1$${ARGON_SALT}==$${ARGON_HASH}`],
  ["pbkdf2 with nothing after the name", "pbkdf2_sha256$"],
  ["pbkdf2 with three fields", `pbkdf2_sha256$1000$${SALT22}`],
  ["pbkdf2 with five fields", `pbkdf2_sha256$1000$${SALT22}$${B64_32}$extra`],
  ["pbkdf2 with an empty salt", `pbkdf2_sha256$1000$$${B64_32}`],
  ["pbkdf2 with non-numeric iterations", `pbkdf2_sha256$abc$${SALT22}$${B64_32}`],
  ["pbkdf2 with negative iterations", `pbkdf2_sha256$-1000$${SALT22}$${B64_32}`],
  ["pbkdf2 with zero iterations", `pbkdf2_sha256$0$${SALT22}$${B64_32}`],
  ["pbkdf2 with a leading zero", `pbkdf2_sha256$01000$${SALT22}$${B64_32}`],
  ["pbkdf2 with a space", `pbkdf2_sha256$ 1000$${SALT22}$${B64_32}`],
  ["pbkdf2 with fractional iterations", `pbkdf2_sha256$1000.5$${SALT22}$${B64_32}`],
  ["pbkdf2 with 10^12 iterations", `pbkdf2_sha256$999999999999$${SALT22}$${B64_32}`],
  ["pbkdf2 just over the iteration cap", `pbkdf2_sha256$10000001$${SALT22}$${B64_32}`],
  ["pbkdf2 with a short key", `pbkdf2_sha256$1000$${SALT22}$${"A".repeat(27)}=`],
  ["pbkdf2_sha1 with a SHA-256-sized key", `pbkdf2_sha1$1000$${SALT22}$${B64_32}`],
  ["pbkdf2 with a non-base64 key", `pbkdf2_sha256$1000$${SALT22}$${"!".repeat(43)}=`],
  ["scrypt with five fields", `scrypt$16384$${SALT22}$8$1`],
  ["scrypt with a work factor that is not a power of two", `scrypt$16383$${SALT22}$8$1$${"A".repeat(86)}==`],
  ["scrypt needing 1 GiB", `scrypt$1048576$${SALT22}$8$1$${"A".repeat(86)}==`],
  ["scrypt with a zero block size", `scrypt$16384$${SALT22}$0$1$${"A".repeat(86)}==`],
  ["scrypt with a huge parallelism", `scrypt$16384$${SALT22}$8$999$${"A".repeat(86)}==`],
  ["bcrypt_sha256 without the bcrypt string", "bcrypt_sha256$"],
  ["bcrypt_sha256 with cost 99", `bcrypt_sha256$$2b$99$${BCRYPT_BODY}`],
  ["bcrypt_sha256 with cost 31", `bcrypt_sha256$$2b$31$${BCRYPT_BODY}`],
  ["bcrypt_sha256 with cost 3", `bcrypt_sha256$$2b$03$${BCRYPT_BODY}`],
  ["bcrypt_sha256 with a short body", `bcrypt_sha256$$2b$12$${BCRYPT_BODY.slice(1)}`],
  ["bcrypt missing its inner separator", `bcrypt$2b$12$${BCRYPT_BODY}`],
  ["salted md5 with a non-hex digest", `md5$salt$${"z".repeat(32)}`],
  ["salted md5 with an empty salt and wrong length", `md5$$${"a".repeat(31)}`],
  ["sha1 with a short digest", `sha1$salt$${"a".repeat(39)}`],
  ["unsalted sha1 with upper-case hex", `sha1$$${"A".repeat(40)}`],
  ["a 33-character bare digest", "a".repeat(33)],
  ["a megabyte of text", "pbkdf2_sha256$1000$" + "s".repeat(1024 * 1024)],
  ["only separators", "$$$$$"],
];

describe("verify with a malformed or unsafe hash", () => {
  it.each(MALFORMED)("refuses %s without throwing, after one dummy hash", async (_label, encoded) => {
    const { hasher, calls } = createRecordingHasher();
    await expect(hasher.verify("password", encoded)).resolves.toEqual({ valid: false, needsRehash: false });
    expect(calls).toEqual([{ algorithm: "argon2", kind: "dummy" }]);
    expect(hasher.needsRehash(encoded)).toBe(false);
  });

  it("refuses a stored value of the wrong type", async () => {
    const { hasher, calls } = createRecordingHasher();
    for (const encoded of [null, undefined, 42, {}] as unknown as string[]) {
      await expect(hasher.verify("password", encoded)).resolves.toEqual({ valid: false, needsRehash: false });
    }
    expect(calls.map((call) => call.kind)).toEqual(["dummy", "dummy", "dummy", "dummy"]);
  });

  it("refuses a password of the wrong type without hashing", async () => {
    const { hasher, calls } = createRecordingHasher();
    const encoded = await hasher.hash("secret");
    calls.length = 0;
    for (const password of [null, undefined, 42, ["secret"]] as unknown as string[]) {
      await expect(hasher.verify(password, encoded)).resolves.toEqual({ valid: false, needsRehash: false });
    }
    expect(calls).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { PASSWORD_MAX_LENGTH } from "../password-length.ts";
import { PasswordHasherConfigError, PasswordTooLongError } from "./errors.ts";
import { createPasswordHasher, hashPassword, verifyPassword } from "./index.ts";
import { HASHING_PASSWORD_HASHER_NAMES, PASSWORD_HASHER_NAMES } from "./names.ts";
import { DEFAULT_PASSWORD_HASHER_PARAMS, INSECURE_TEST_PASSWORD_HASHER_PARAMS } from "./params.ts";
import { createRecordingHasher, readVectors } from "./test-support.ts";
import { makeUnusablePassword } from "./unusable.ts";

const fast = createPasswordHasher({
  hashers: [...PASSWORD_HASHER_NAMES],
  params: INSECURE_TEST_PASSWORD_HASHER_PARAMS,
});

describe("hash and verify", () => {
  it.each(HASHING_PASSWORD_HASHER_NAMES)("round-trip a password with %s", async (algorithm) => {
    const encoded = await fast.hash("lètmein", { algorithm });
    expect(encoded.startsWith(`${algorithm}$`)).toBe(true);
    expect(await fast.verify("lètmein", encoded)).toEqual({ valid: true, needsRehash: algorithm !== "argon2" });
    expect(await fast.verify("lètmeinz", encoded)).toEqual({ valid: false, needsRehash: false });
    expect(await fast.verify("", encoded)).toEqual({ valid: false, needsRehash: false });
  });

  it("hash with the first configured hasher by default", async () => {
    const hasher = createPasswordHasher({
      hashers: ["scrypt", "argon2"],
      params: INSECURE_TEST_PASSWORD_HASHER_PARAMS,
    });
    expect(hasher.preferred).toBe("scrypt");
    expect(await hasher.hash("secret")).toMatch(/^scrypt\$1024\$[a-zA-Z0-9]{22}\$8\$1\$[A-Za-z0-9+/]{86}==$/);
  });

  it("give every hash a fresh 22-character salt from Django's alphabet", async () => {
    const first = await fast.hash("same", { algorithm: "pbkdf2_sha256" });
    const second = await fast.hash("same", { algorithm: "pbkdf2_sha256" });
    expect(first).not.toBe(second);
    expect(first).toMatch(/^pbkdf2_sha256\$1000\$[a-zA-Z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
  });

  it("write argon2id v19 hashes in Django's format", async () => {
    expect(await fast.hash("secret")).toMatch(
      /^argon2\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{30}\$[A-Za-z0-9+/]{43}$/,
    );
  });

  it("use a password exactly as given: no trimming, case folding or normalisation", async () => {
    const encoded = await fast.hash(" Pässword ", { algorithm: "pbkdf2_sha256" });
    expect((await fast.verify(" Pässword ", encoded)).valid).toBe(true);
    for (const other of ["Pässword", " pässword ", " PÄSSWORD ", " Pa\u0308ssword "]) {
      expect((await fast.verify(other, encoded)).valid, other).toBe(false);
    }
  });

  it("do not truncate long passwords with bcrypt_sha256", async () => {
    const password = "x".repeat(100);
    const encoded = await fast.hash(password, { algorithm: "bcrypt_sha256" });
    expect((await fast.verify(password.slice(0, 72), encoded)).valid).toBe(false);
    expect((await fast.verify(password, encoded)).valid).toBe(true);
  });

  it("accept a password of exactly the maximum length", async () => {
    const password = "p".repeat(PASSWORD_MAX_LENGTH);
    const encoded = await fast.hash(password, { algorithm: "pbkdf2_sha256" });
    expect((await fast.verify(password, encoded)).valid).toBe(true);
  });

  it("refuse to hash a longer password with a typed error", async () => {
    const attempt = fast.hash("p".repeat(PASSWORD_MAX_LENGTH + 1));
    await expect(attempt).rejects.toBeInstanceOf(PasswordTooLongError);
    await expect(attempt).rejects.toThrow("Password is too long (at most 4096 characters).");
    await expect(attempt).rejects.toMatchObject({ code: "password_too_long", name: "PasswordTooLongError" });
  });

  it("reject a verify-only or unconfigured algorithm when hashing", async () => {
    await expect(fast.hash("x", { algorithm: "md5" })).rejects.toThrow(PasswordHasherConfigError);
    await expect(fast.hash("x", { algorithm: "bcrypt" })).rejects.toThrow('"bcrypt" password hasher can only verify');
    const argon2Only = createPasswordHasher({ hashers: ["argon2"], params: INSECURE_TEST_PASSWORD_HASHER_PARAMS });
    await expect(argon2Only.hash("x", { algorithm: "scrypt" })).rejects.toThrow(
      'Unknown password hashing algorithm "scrypt". Did you specify it in PASSWORD_HASHERS?',
    );
  });

  it("verify only algorithms that are configured", async () => {
    const encoded = await fast.hash("secret", { algorithm: "scrypt" });
    const argon2Only = createPasswordHasher({ hashers: ["argon2"], params: INSECURE_TEST_PASSWORD_HASHER_PARAMS });
    expect(await argon2Only.verify("secret", encoded)).toEqual({ valid: false, needsRehash: false });
  });
});

describe("Django's known hashes", () => {
  it("makePassword('lètmein', 'seasalt', 'pbkdf2_sha256', 390000) equals Django's vector byte for byte", async () => {
    const hasher = createPasswordHasher({
      hashers: ["pbkdf2_sha256"],
      params: { pbkdf2_sha256: { iterations: 390_000 } },
    });
    expect(await hasher.hash("lètmein", { salt: "seasalt" })).toBe(
      "pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=",
    );
  });

  it("reproduce Django's scrypt vector with the default parameters", async () => {
    const hasher = createPasswordHasher({ hashers: ["scrypt"] });
    expect(await hasher.hash("lètmein", { salt: "seasalt" })).toBe(
      "scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==",
    );
  });

  it("reproduce Django's argon2 vector with its parameters", async () => {
    const hasher = createPasswordHasher({
      hashers: ["argon2"],
      params: { argon2: { timeCost: 2, memoryCost: 102_400, parallelism: 8, hashLength: 16 } },
    });
    expect(await hasher.hash("secret", { salt: "cN5tLa6IcEE2" })).toBe(
      "argon2$argon2id$v=19$m=102400,t=2,p=8$Y041dExhNkljRUUy$TMa6A8fPJhCAUXRhJXCXdw",
    );
  });

  it("reproduce Django's bcrypt_sha256 hashes from their salt", async () => {
    const hasher = createPasswordHasher({ hashers: ["bcrypt_sha256"] });
    const vectors = readVectors("django-hashes.json").vectors.filter((vector) => vector.algorithm === "bcrypt_sha256");
    expect(vectors.length).toBeGreaterThan(0);
    for (const { password, encoded } of vectors) {
      const salt = encoded.slice("bcrypt_sha256$".length, "bcrypt_sha256$".length + 29);
      expect(await hasher.hash(password, { salt })).toBe(encoded);
    }
  });
});

describe("needsRehash", () => {
  const current = createPasswordHasher({
    hashers: [...PASSWORD_HASHER_NAMES],
    params: {
      ...INSECURE_TEST_PASSWORD_HASHER_PARAMS,
      argon2: { timeCost: 2, memoryCost: 128, parallelism: 2, hashLength: 32 },
    },
  });

  it("is false for a hash made with the current settings", async () => {
    expect(current.needsRehash(await current.hash("secret"))).toBe(false);
  });

  it("is true for any algorithm other than the preferred one", async () => {
    for (const algorithm of HASHING_PASSWORD_HASHER_NAMES.filter((name) => name !== "argon2")) {
      expect(current.needsRehash(await current.hash("secret", { algorithm })), algorithm).toBe(true);
    }
  });

  it("is true for argon2 hashes with weaker parameters, another variant or version", () => {
    const salt = "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dg";
    const hash = "A".repeat(43);
    const weaker = [
      `argon2$argon2id$v=19$m=128,t=1,p=2$${salt}$${hash}`,
      `argon2$argon2id$v=19$m=64,t=2,p=2$${salt}$${hash}`,
      `argon2$argon2id$v=19$m=128,t=2,p=1$${salt}$${hash}`,
      `argon2$argon2id$v=19$m=128,t=2,p=2$${salt}$${"A".repeat(22)}`,
      `argon2$argon2i$v=19$m=128,t=2,p=2$${salt}$${hash}`,
      `argon2$argon2id$v=16$m=128,t=2,p=2$${salt}$${hash}`,
      `argon2$argon2id$m=128,t=2,p=2$${salt}$${hash}`,
      `argon2$argon2id$v=19$m=128,t=2,p=2$c2FsdHNhbHQ$${hash}`,
    ];
    for (const encoded of weaker) expect(current.needsRehash(encoded), encoded).toBe(true);
    expect(current.needsRehash(`argon2$argon2id$v=19$m=128,t=2,p=2$${salt}$${hash}`)).toBe(false);
  });

  it("is false for a hash stronger than the current settings (no downgrade)", () => {
    const salt = "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dg";
    expect(current.needsRehash(`argon2$argon2id$v=19$m=256,t=3,p=4$${salt}$${"A".repeat(43)}`)).toBe(false);
    const pbkdf2 = createPasswordHasher({
      hashers: ["pbkdf2_sha256"],
      params: { pbkdf2_sha256: { iterations: 1000 } },
    });
    expect(pbkdf2.needsRehash(`pbkdf2_sha256$2000$${"s".repeat(22)}$${"A".repeat(43)}=`)).toBe(false);
  });

  it("is true for PBKDF2 with fewer iterations or a weak salt", async () => {
    const pbkdf2 = createPasswordHasher({
      hashers: ["pbkdf2_sha256"],
      params: { pbkdf2_sha256: { iterations: 1000 } },
    });
    expect(pbkdf2.needsRehash(await pbkdf2.hash("x"))).toBe(false);
    expect(pbkdf2.needsRehash(`pbkdf2_sha256$999$${"s".repeat(22)}$${"A".repeat(43)}=`)).toBe(true);
    expect(pbkdf2.needsRehash(`pbkdf2_sha256$1000$${"s".repeat(21)}$${"A".repeat(43)}=`)).toBe(true);
  });

  it("is true for scrypt and bcrypt with lower work factors", async () => {
    const scrypt = createPasswordHasher({ hashers: ["scrypt"], params: { scrypt: { workFactor: 2048 } } });
    const weakScrypt = createPasswordHasher({ hashers: ["scrypt"], params: { scrypt: { workFactor: 1024 } } });
    expect(scrypt.needsRehash(await weakScrypt.hash("x"))).toBe(true);
    expect(scrypt.needsRehash(await scrypt.hash("x"))).toBe(false);
    const bcrypt = createPasswordHasher({ hashers: ["bcrypt_sha256"], params: { bcrypt_sha256: { rounds: 5 } } });
    const weakBcrypt = createPasswordHasher({ hashers: ["bcrypt_sha256"], params: { bcrypt_sha256: { rounds: 4 } } });
    expect(bcrypt.needsRehash(await weakBcrypt.hash("x"))).toBe(true);
    expect(bcrypt.needsRehash(await bcrypt.hash("x"))).toBe(false);
  });

  it("is false for what cannot be verified at all", () => {
    expect(current.needsRehash(makeUnusablePassword())).toBe(false);
    expect(current.needsRehash("garbage")).toBe(false);
    expect(current.needsRehash("")).toBe(false);
  });

  it("is reported by verify only for the right password", async () => {
    const old = await fast.hash("secret", { algorithm: "pbkdf2_sha1" });
    expect(await current.verify("secret", old)).toEqual({ valid: true, needsRehash: true });
    expect(await current.verify("wrong", old)).toEqual({ valid: false, needsRehash: false });
  });

  it("leads to a hash that no longer needs it (upgrade on login)", async () => {
    const old = await fast.hash("secret", { algorithm: "pbkdf2_sha256" });
    const { valid, needsRehash } = await current.verify("secret", old);
    expect(valid && needsRehash).toBe(true);
    const upgraded = await current.hash("secret");
    expect(await current.verify("secret", upgraded)).toEqual({ valid: true, needsRehash: false });
  });
});

describe("the work done per verification", () => {
  it("is one verification for an existing user, right or wrong", async () => {
    const { hasher, calls } = createRecordingHasher();
    const encoded = await hasher.hash("secret");
    calls.length = 0;
    await hasher.verify("secret", encoded);
    await hasher.verify("wrong", encoded);
    expect(calls).toEqual([
      { algorithm: "argon2", kind: "verify" },
      { algorithm: "argon2", kind: "verify" },
    ]);
  });

  it("is one dummy hash with the preferred hasher for an unknown user", async () => {
    const { hasher, calls } = createRecordingHasher();
    await hasher.dummyVerify();
    expect(calls).toEqual([{ algorithm: "argon2", kind: "dummy" }]);
  });

  it("is one dummy hash for an unusable password, even given the stored value (CVE-2024-39329)", async () => {
    const { hasher, calls } = createRecordingHasher();
    const unusable = makeUnusablePassword();
    for (const attempt of ["", "!", unusable, "None"]) {
      expect(await hasher.verify(attempt, unusable)).toEqual({ valid: false, needsRehash: false });
    }
    expect(await hasher.verify("secret", null)).toEqual({ valid: false, needsRehash: false });
    expect(calls).toEqual(Array.from({ length: 5 }, () => ({ algorithm: "argon2", kind: "dummy" })));
  });

  it("tops up a failed check of an outdated PBKDF2 hash to the current cost (harden_runtime)", async () => {
    const { hasher, calls } = createRecordingHasher({ hashers: ["pbkdf2_sha256"] });
    const weak = `pbkdf2_sha256$1$seasalt$${"A".repeat(43)}=`;
    await hasher.verify("wrong", weak);
    expect(calls.map((call) => call.kind)).toEqual(["verify", "harden"]);
  });

  it("tops up a failed check of an outdated bcrypt_sha256 hash", async () => {
    const strong = createRecordingHasher({ hashers: ["bcrypt_sha256"], params: { bcrypt_sha256: { rounds: 5 } } });
    const weak = await createPasswordHasher({
      hashers: ["bcrypt_sha256"],
      params: { bcrypt_sha256: { rounds: 4 } },
    }).hash("x");
    await strong.hasher.verify("wrong", weak);
    expect(strong.calls.map((call) => call.kind)).toEqual(["verify", "harden"]);
    strong.calls.length = 0;
    expect(await strong.hasher.verify("x", weak)).toEqual({ valid: true, needsRehash: true });
    expect(strong.calls.map((call) => call.kind)).toEqual(["verify"]);
  });

  it("pads a check of another algorithm with the preferred hasher's dummy, right password or wrong", async () => {
    const { hasher, calls } = createRecordingHasher();
    const imported = await fast.hash("secret", { algorithm: "pbkdf2_sha256" });
    expect(await hasher.verify("wrong", imported)).toEqual({ valid: false, needsRehash: false });
    expect(await hasher.verify("secret", imported)).toEqual({ valid: true, needsRehash: true });
    const expected = [
      { algorithm: "pbkdf2_sha256", kind: "verify" },
      { algorithm: "argon2", kind: "dummy" },
    ];
    expect(calls).toEqual([...expected, ...expected]);
  });

  it("once the preferred hasher's checks have been timed, pads another algorithm's check by time, not a second hash", async () => {
    const { hasher, calls } = createRecordingHasher();
    const current = await hasher.hash("secret");
    for (let i = 0; i < 5; i += 1) await hasher.verify("wrong", current);
    const imported = await fast.hash("secret", { algorithm: "pbkdf2_sha256" });
    calls.length = 0;
    expect(await hasher.verify("wrong", imported)).toEqual({ valid: false, needsRehash: false });
    expect(await hasher.verify("secret", imported)).toEqual({ valid: true, needsRehash: true });
    expect(calls).toEqual([
      { algorithm: "pbkdf2_sha256", kind: "verify" },
      { algorithm: "pbkdf2_sha256", kind: "verify" },
    ]);
  });

  it("pads a weaker argon2 hash with the dummy, since argon2 has no harden_runtime", async () => {
    const { hasher, calls } = createRecordingHasher();
    const weak = await createPasswordHasher({
      params: { argon2: { ...INSECURE_TEST_PASSWORD_HASHER_PARAMS.argon2, memoryCost: 32 } },
    }).hash("secret");
    await hasher.verify("wrong", weak);
    expect(calls).toEqual([
      { algorithm: "argon2", kind: "verify" },
      { algorithm: "argon2", kind: "dummy" },
    ]);
  });

  it("makes a wrong password against a cheap imported hash take as long as against a current one", async () => {
    // Default argon2id parameters (tens of milliseconds) against a 1 000-iteration PBKDF2 hash
    // (well under a millisecond): without the padding the imported hash answers many times faster.
    const hasher = createPasswordHasher();
    const current = await hasher.hash("secret");
    const imported = await fast.hash("secret", { algorithm: "pbkdf2_sha256" });
    const timings = { current: [] as number[], imported: [] as number[] };
    for (let round = 0; round < 6; round += 1) {
      for (const [name, encoded] of [
        ["current", current],
        ["imported", imported],
      ] as const) {
        const started = performance.now();
        expect((await hasher.verify("wrong", encoded)).valid).toBe(false);
        timings[name].push(performance.now() - started);
      }
    }
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
    expect(median(timings.imported)).toBeGreaterThan(median(timings.current) * 0.6);
  });
});

describe("createPasswordHasher", () => {
  it("defaults to Django's hasher list, OWASP's argon2id minimum and Django 5.2's other work factors", () => {
    const hasher = createPasswordHasher();
    expect(hasher.hashers).toEqual(["argon2", "pbkdf2_sha256", "pbkdf2_sha1", "scrypt", "bcrypt_sha256", "bcrypt"]);
    expect(hasher.preferred).toBe("argon2");
    expect(hasher.params).toEqual(DEFAULT_PASSWORD_HASHER_PARAMS);
    expect(DEFAULT_PASSWORD_HASHER_PARAMS).toEqual({
      argon2: { timeCost: 2, memoryCost: 19_456, parallelism: 1, hashLength: 32 },
      pbkdf2_sha256: { iterations: 1_000_000 },
      pbkdf2_sha1: { iterations: 1_000_000 },
      scrypt: { workFactor: 16_384, blockSize: 8, parallelism: 1 },
      bcrypt_sha256: { rounds: 12 },
      bcrypt: { rounds: 12 },
    });
  });

  it("reads a comma-separated PASSWORD_HASHERS value", () => {
    expect(createPasswordHasher({ hashers: " pbkdf2_sha256 , argon2,md5 " }).hashers).toEqual([
      "pbkdf2_sha256",
      "argon2",
      "md5",
    ]);
  });

  it("accepts lower work factors for tests", () => {
    const hasher = createPasswordHasher({
      params: { pbkdf2_sha256: { iterations: 1 }, argon2: { memoryCost: 8, parallelism: 1 } },
    });
    expect(hasher.params.pbkdf2_sha256.iterations).toBe(1);
    expect(hasher.params.argon2).toEqual({ timeCost: 2, memoryCost: 8, parallelism: 1, hashLength: 32 });
  });

  it("throws a one-line config error for an unknown hasher name", () => {
    expect(() => createPasswordHasher({ hashers: ["argon2", "argon3"] })).toThrow(
      'PASSWORD_HASHERS: unknown password hasher "argon3" (known: argon2, pbkdf2_sha256, pbkdf2_sha1, scrypt, bcrypt_sha256, bcrypt, sha1, md5, unsalted_sha1, unsalted_md5).',
    );
  });

  it("throws a config error for a verify-only hasher in first place, a repeat, or an empty list", () => {
    expect(() => createPasswordHasher({ hashers: ["md5", "argon2"] })).toThrow(PasswordHasherConfigError);
    expect(() => createPasswordHasher({ hashers: ["bcrypt"] })).toThrow("cannot come first");
    expect(() => createPasswordHasher({ hashers: "argon2,argon2" })).toThrow('"argon2" is listed twice');
    expect(() => createPasswordHasher({ hashers: " , " })).toThrow("PASSWORD_HASHERS is empty");
  });

  it("throws a config error for out-of-range work factors", () => {
    const bad = [
      { pbkdf2_sha256: { iterations: 0 } },
      { pbkdf2_sha256: { iterations: 10_000_001 } },
      { pbkdf2_sha1: { iterations: 1.5 } },
      { argon2: { memoryCost: 8, parallelism: 2 } },
      { argon2: { timeCost: 0 } },
      { argon2: { memoryCost: 1_048_576, timeCost: 8 } },
      { scrypt: { workFactor: 1000 } },
      { scrypt: { workFactor: 2 ** 20, blockSize: 8 } },
      { bcrypt_sha256: { rounds: 3 } },
      { bcrypt_sha256: { rounds: 17 } },
    ];
    for (const params of bad) {
      expect(() => createPasswordHasher({ params }), JSON.stringify(params)).toThrow(PasswordHasherConfigError);
    }
    expect(() => createPasswordHasher({ params: { pbkdf2_sha256: { iterations: 0 } } })).toThrow(
      "Password hasher parameter pbkdf2_sha256.iterations must be an integer from 1 to 10000000 (got 0).",
    );
  });
});

describe("the module-level functions", () => {
  it("use the default hasher (argon2id at OWASP's recommended cost)", async () => {
    const encoded = await hashPassword("lètmein");
    expect(encoded).toMatch(/^argon2\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword("lètmein", encoded)).toEqual({ valid: true, needsRehash: false });
  });
});

describe("a caller-supplied salt", () => {
  it("is refused when the algorithm cannot store it", async () => {
    await expect(fast.hash("x", { algorithm: "pbkdf2_sha256", salt: "" })).rejects.toThrow(RangeError);
    await expect(fast.hash("x", { algorithm: "pbkdf2_sha256", salt: "has$dollar" })).rejects.toThrow(RangeError);
    await expect(fast.hash("x", { algorithm: "argon2", salt: "short" })).rejects.toThrow(RangeError);
    await expect(fast.hash("x", { algorithm: "bcrypt_sha256", salt: "not-a-bcrypt-salt" })).rejects.toThrow(RangeError);
  });
});

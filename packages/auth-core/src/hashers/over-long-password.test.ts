import type * as nodeCrypto from "node:crypto";
import type * as nodeRsArgon2 from "@node-rs/argon2";
import type * as nodeRsBcrypt from "@node-rs/bcrypt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PASSWORD_MAX_LENGTH } from "../password-length.ts";
import { PasswordTooLongError } from "./errors.ts";
import { HASHING_PASSWORD_HASHER_NAMES } from "./names.ts";
import { createRecordingHasher, readVectors } from "./test-support.ts";

// Every primitive that does hashing work is wrapped in a spy that still does the real work, so
// these tests can show that an over-long password never reaches any of them.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof nodeCrypto>();
  return {
    ...actual,
    pbkdf2: vi.fn(actual.pbkdf2),
    scrypt: vi.fn(actual.scrypt),
    createHash: vi.fn(actual.createHash),
  };
});
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const actual = await importOriginal<typeof nodeRsArgon2>();
  return { ...actual, hash: vi.fn(actual.hash), verify: vi.fn(actual.verify) };
});
vi.mock("@node-rs/bcrypt", async (importOriginal) => {
  const actual = await importOriginal<typeof nodeRsBcrypt>();
  return { ...actual, hash: vi.fn(actual.hash), verify: vi.fn(actual.verify) };
});

const crypto = await import("node:crypto");
const argon2 = await import("@node-rs/argon2");
const bcrypt = await import("@node-rs/bcrypt");

const primitives = [
  crypto.pbkdf2,
  crypto.scrypt,
  crypto.createHash,
  argon2.hash,
  argon2.verify,
  bcrypt.hash,
  bcrypt.verify,
];

function primitiveCalls(): number {
  return primitives.reduce((total, primitive) => total + vi.mocked(primitive).mock.calls.length, 0);
}

const ONE_MEGABYTE = "x".repeat(1024 * 1024);

afterEach(() => {
  vi.clearAllMocks();
});

describe("an over-long password", () => {
  it("is refused by hash with PasswordTooLongError before any hashing", async () => {
    const { hasher, calls } = createRecordingHasher();
    for (const algorithm of HASHING_PASSWORD_HASHER_NAMES) {
      await expect(hasher.hash(ONE_MEGABYTE, { algorithm })).rejects.toBeInstanceOf(PasswordTooLongError);
    }
    await expect(hasher.hash("y".repeat(PASSWORD_MAX_LENGTH + 1))).rejects.toThrow(
      "Password is too long (at most 4096 characters).",
    );
    expect(calls).toEqual([]);
    expect(primitiveCalls()).toBe(0);
  });

  it("is counted in characters, so 4096 emoji are accepted and 4097 are not", async () => {
    const { hasher } = createRecordingHasher();
    await expect(hasher.hash("🔑".repeat(PASSWORD_MAX_LENGTH + 1))).rejects.toBeInstanceOf(PasswordTooLongError);
    await expect(hasher.hash("🔑".repeat(PASSWORD_MAX_LENGTH))).resolves.toMatch(/^argon2\$/);
  });

  it("verifies as false against every kind of stored hash without hashing anything", async () => {
    const { hasher, calls } = createRecordingHasher();
    const stored = readVectors("django-hashes.json").vectors.map((vector) => vector.encoded);
    vi.clearAllMocks();
    for (const encoded of stored) {
      expect(await hasher.verify(ONE_MEGABYTE, encoded)).toEqual({ valid: false, needsRehash: false });
    }
    expect(calls).toEqual([]);
    expect(primitiveCalls()).toBe(0);
  });

  it("is the only reason the spies stay silent: a normal password reaches them", async () => {
    const { hasher } = createRecordingHasher();
    const encoded = await hasher.hash("secret", { algorithm: "pbkdf2_sha256" });
    await hasher.verify("secret", encoded);
    expect(vi.mocked(crypto.pbkdf2)).toHaveBeenCalledTimes(2);
  });
});

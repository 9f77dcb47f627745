import { describe, expect, it } from "vitest";
import { PasswordHasherConfigError } from "./errors.ts";
import {
  DEFAULT_PASSWORD_HASHERS,
  isPasswordHasherName,
  PASSWORD_HASHER_NAMES,
  parsePasswordHashers,
} from "./names.ts";

describe("parsePasswordHashers", () => {
  it("reads the documented default value of PASSWORD_HASHERS", () => {
    expect(parsePasswordHashers("argon2,pbkdf2_sha256,pbkdf2_sha1,scrypt,bcrypt_sha256,bcrypt")).toEqual(
      DEFAULT_PASSWORD_HASHERS,
    );
  });

  it("accepts the legacy verify-only hashers after a hashing one", () => {
    expect(parsePasswordHashers(["pbkdf2_sha256", "sha1", "md5", "unsalted_sha1", "unsalted_md5"])).toHaveLength(5);
  });

  it("ignores spaces and empty entries", () => {
    expect(parsePasswordHashers(" argon2 ,, md5 ,")).toEqual(["argon2", "md5"]);
  });

  it("names the unknown entry in a one-line error", () => {
    expect(() => parsePasswordHashers("argon2,crypt")).toThrow(PasswordHasherConfigError);
    expect(() => parsePasswordHashers("argon2,crypt")).toThrow(/^PASSWORD_HASHERS: unknown password hasher "crypt"/);
    expect(() => parsePasswordHashers(["Argon2"])).toThrow('unknown password hasher "Argon2"');
  });
});

describe("isPasswordHasherName", () => {
  it("knows exactly the ten supported names", () => {
    expect(PASSWORD_HASHER_NAMES).toHaveLength(10);
    expect(PASSWORD_HASHER_NAMES.every(isPasswordHasherName)).toBe(true);
    expect(isPasswordHasherName("crypt")).toBe(false);
    expect(isPasswordHasherName("toString")).toBe(false);
  });
});

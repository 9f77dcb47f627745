import { describe, expect, it } from "vitest";
import {
  DEFAULT_PASSWORD_HASHER_PARAMS,
  INSECURE_TEST_PASSWORD_HASHER_PARAMS,
  resolvePasswordHasherParams,
} from "./params.ts";

describe("resolvePasswordHasherParams", () => {
  it("returns the defaults when nothing is overridden", () => {
    expect(resolvePasswordHasherParams()).toEqual(DEFAULT_PASSWORD_HASHER_PARAMS);
  });

  it("overrides single fields and keeps the others", () => {
    const params = resolvePasswordHasherParams({ argon2: { timeCost: 3 }, scrypt: { blockSize: 16 } });
    expect(params.argon2).toEqual({ ...DEFAULT_PASSWORD_HASHER_PARAMS.argon2, timeCost: 3 });
    expect(params.scrypt).toEqual({ ...DEFAULT_PASSWORD_HASHER_PARAMS.scrypt, blockSize: 16 });
  });

  it("accepts the test parameters", () => {
    expect(resolvePasswordHasherParams(INSECURE_TEST_PASSWORD_HASHER_PARAMS)).toEqual(
      INSECURE_TEST_PASSWORD_HASHER_PARAMS,
    );
  });

  it("returns frozen values", () => {
    const params = resolvePasswordHasherParams();
    expect(Object.isFrozen(params)).toBe(true);
    expect(Object.isFrozen(params.argon2)).toBe(true);
    expect(Object.isFrozen(DEFAULT_PASSWORD_HASHER_PARAMS.pbkdf2_sha256)).toBe(true);
  });

  it("explains a combination that breaks a limit", () => {
    expect(() => resolvePasswordHasherParams({ argon2: { memoryCost: 16, parallelism: 4 } })).toThrow(
      "Password hasher parameters: argon2 memoryCost must be at least 8 x parallelism.",
    );
    expect(() => resolvePasswordHasherParams({ scrypt: { workFactor: 3000 } })).toThrow(
      "Password hasher parameters: scrypt workFactor must be a power of two.",
    );
  });
});

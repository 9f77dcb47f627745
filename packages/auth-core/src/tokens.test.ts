import { describe, expect, it } from "vitest";
import { hashSecret } from "./crypto.ts";
import {
  generateResetToken,
  getResetTokenExpiresAt,
  parseResetToken,
  PASSWORD_RESET_TOKEN_TTL_MS,
  verifyTokenSecret,
} from "./tokens.ts";

describe("password reset tokens", () => {
  it("are <id>.<secret> with 160 random bits in each half", () => {
    const { id, secret, token } = generateResetToken();
    expect(id).toMatch(/^[a-z2-7]{32}$/);
    expect(secret).toMatch(/^[a-z2-7]{32}$/);
    expect(token).toBe(`${id}.${secret}`);
  });

  it("come with the SHA-256 of the secret to store", () => {
    const { secret, secretHash } = generateResetToken();
    expect(secretHash).toEqual(hashSecret(secret));
  });

  it("parse back into id and secret", () => {
    const { id, secret, token } = generateResetToken();
    expect(parseResetToken(token)).toEqual({ id, secret });
  });

  it("verify their secret against the stored hash only", () => {
    const { secret, secretHash } = generateResetToken();
    expect(verifyTokenSecret(secret, secretHash)).toBe(true);
    expect(verifyTokenSecret(generateResetToken().secret, secretHash)).toBe(false);
    expect(verifyTokenSecret(secret, secretHash.subarray(1))).toBe(false);
  });

  it("expire after one hour", () => {
    expect(PASSWORD_RESET_TOKEN_TTL_MS).toBe(3_600_000);
    expect(getResetTokenExpiresAt(new Date("2025-01-01T00:00:00Z"))).toEqual(new Date("2025-01-01T01:00:00Z"));
  });
});

import { describe, expect, it } from "vitest";
import { constantTimeEqual, generateRandomId, generateRandomString, hashSecret, RANDOM_ID_BYTES } from "./crypto.ts";

describe("generateRandomId", () => {
  it("gives 160 bits as 32 lower-case base32 characters", () => {
    expect(RANDOM_ID_BYTES * 8).toBeGreaterThanOrEqual(120);
    expect(generateRandomId()).toMatch(/^[a-z2-7]{32}$/);
  });

  it("does not repeat", () => {
    const ids = new Set(Array.from({ length: 1000 }, generateRandomId));
    expect(ids.size).toBe(1000);
  });
});

describe("generateRandomString", () => {
  it("draws from Django's alphabet by default", () => {
    expect(generateRandomString(40)).toMatch(/^[a-zA-Z0-9]{40}$/);
  });

  it("draws from a given alphabet", () => {
    expect(generateRandomString(64, "ab")).toMatch(/^[ab]{64}$/);
  });
});

describe("hashSecret", () => {
  it("is SHA-256 of the UTF-8 secret", () => {
    expect(Buffer.from(hashSecret("abc")).toString("hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(hashSecret("")).toHaveLength(32);
  });
});

describe("constantTimeEqual", () => {
  it("compares bytes", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
  });

  it("treats different lengths as unequal", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });

  it("compares strings as UTF-8 and mixes strings with bytes", () => {
    expect(constantTimeEqual("lètmein", "lètmein")).toBe(true);
    expect(constantTimeEqual("lètmein", "letmein")).toBe(false);
    expect(constantTimeEqual("abc", new TextEncoder().encode("abc"))).toBe(true);
  });
});

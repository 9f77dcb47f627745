import { encodeBase32LowerCaseNoPadding as reference } from "@oslojs/encoding";
import { describe, expect, it } from "vitest";
import { encodeBase32LowerCaseNoPadding } from "./base32.ts";

describe("encodeBase32LowerCaseNoPadding", () => {
  it("encodes RFC 4648's test vectors (lower case, padding removed)", () => {
    const vectors: [string, string][] = [
      ["", ""],
      ["f", "my"],
      ["fo", "mzxq"],
      ["foo", "mzxw6"],
      ["foob", "mzxw6yq"],
      ["fooba", "mzxw6ytb"],
      ["foobar", "mzxw6ytboi"],
    ];
    for (const [text, encoded] of vectors) {
      expect(encodeBase32LowerCaseNoPadding(new TextEncoder().encode(text))).toBe(encoded);
    }
  });

  it("gives the same text as @oslojs/encoding for random bytes of every length up to 64", () => {
    for (let length = 0; length <= 64; length++) {
      for (let round = 0; round < 20; round++) {
        const bytes = crypto.getRandomValues(new Uint8Array(length));
        expect(encodeBase32LowerCaseNoPadding(bytes)).toBe(reference(bytes));
      }
    }
  });

  it("encodes all-zero and all-one bytes at the alphabet's two ends", () => {
    expect(encodeBase32LowerCaseNoPadding(new Uint8Array(20))).toBe("a".repeat(32));
    expect(encodeBase32LowerCaseNoPadding(new Uint8Array(20).fill(255))).toBe("7".repeat(32));
  });
});

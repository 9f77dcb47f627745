import { describe, expect, it } from "vitest";
import { exceedsMaximumLengthRatio, quickRatio } from "./sequence-matcher.ts";

describe("quickRatio", () => {
  // Values from Python: difflib.SequenceMatcher(a=a, b=b).quick_ratio()
  it("matches Python's difflib", () => {
    expect(quickRatio("abcd", "bcde")).toBe(0.75);
    expect(quickRatio("testclient", "testclient")).toBe(1);
    expect(quickRatio("tneilctset", "testclient")).toBe(1);
    expect(quickRatio("A", "A".repeat(10))).toBeCloseTo(0.18181818181818182, 15);
    expect(quickRatio("abc", "xyz")).toBe(0);
    expect(quickRatio("aab", "abb")).toBeCloseTo(0.6666666666666666, 15);
  });

  it("treats two empty strings as identical, as Python does", () => {
    expect(quickRatio("", "")).toBe(1);
    expect(quickRatio("", "x")).toBe(0);
  });

  it("counts code points", () => {
    expect(quickRatio("🔑a", "a🔑")).toBe(1);
    expect(quickRatio("🔑", "🔒")).toBe(0);
  });
});

describe("exceedsMaximumLengthRatio", () => {
  it("skips values far shorter than the password, like Django", () => {
    expect(exceedsMaximumLengthRatio(100, 0.7, 10)).toBe(true);
    expect(exceedsMaximumLengthRatio(99, 0.7, 10)).toBe(false);
    expect(exceedsMaximumLengthRatio(20, 0.7, 10)).toBe(false);
  });

  it("never skips an empty value for an empty password", () => {
    expect(exceedsMaximumLengthRatio(0, 0.7, 0)).toBe(false);
  });
});

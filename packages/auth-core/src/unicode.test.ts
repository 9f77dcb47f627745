import { describe, expect, it } from "vitest";
import { caselessKey, pythonStrip } from "./unicode.ts";

describe("caselessKey", () => {
  it("gives the capital sharp s the key of ß and ss, as Python's casefold does", () => {
    expect(caselessKey("ẞ")).toBe("ss");
    expect(caselessKey("ß")).toBe("ss");
    expect(caselessKey("STRAẞE")).toBe(caselessKey("straße"));
  });

  it("is stable under a second pass for every code point, as a unique key must be", () => {
    const unstable: string[] = [];
    for (let code = 0; code < 0x30000; code += 1) {
      if (code >= 0xd800 && code < 0xe000) continue;
      const key = caselessKey(String.fromCodePoint(code));
      if (caselessKey(key) !== key) unstable.push(code.toString(16));
    }
    expect(unstable).toEqual([]);
  });
});

describe("pythonStrip", () => {
  it("removes exactly the surrounding characters Python's str.strip() removes", () => {
    expect(pythonStrip(" \t\u001c\u0085\u00a0\u3000 ada \u2028\u001f\n")).toBe("ada");
    expect(pythonStrip("\ufeffada\u200b")).toBe("\ufeffada\u200b");
    expect(pythonStrip("a d a")).toBe("a d a");
    expect(pythonStrip(" \u2000 ")).toBe("");
  });
});

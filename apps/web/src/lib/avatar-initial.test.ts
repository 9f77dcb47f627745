import { describe, expect, it } from "vitest";
import { avatarInitial, firstVisibleGrapheme } from "./avatar-initial.ts";

describe("firstVisibleGrapheme", () => {
  it("skips bidi controls, zero-width characters and spaces before the first letter", () => {
    expect(firstVisibleGrapheme("\u202EAdmin")).toBe("A");
    expect(firstVisibleGrapheme("\u2067\u200B\u2060 \u00ADzoë")).toBe("z");
    expect(firstVisibleGrapheme("\u0007\uFEFFbob")).toBe("b");
  });

  it("keeps a letter with its combining accent, and an emoji sequence, whole", () => {
    expect(firstVisibleGrapheme("e\u0301mile")).toBe("e\u0301");
    expect(firstVisibleGrapheme("\u202E👩‍👩‍👧 family")).toBe("👩‍👩‍👧");
    expect(firstVisibleGrapheme("🇫🇷 Anne")).toBe("🇫🇷");
  });

  it("finds nothing in a name made only of invisible characters", () => {
    expect(firstVisibleGrapheme("\u202E\u2066\u200D ")).toBeNull();
    expect(firstVisibleGrapheme("")).toBeNull();
  });
});

describe("avatarInitial", () => {
  it("uses the first visible letter of the full name", () => {
    expect(avatarInitial({ firstName: "\u202EAdmin", lastName: "(verified)", username: "mallory" })).toBe("A");
  });

  it("falls back to the username when the name shows nothing", () => {
    expect(avatarInitial({ firstName: "\u202E", lastName: "\u200B", username: "mallory" })).toBe("m");
    expect(avatarInitial({ firstName: "", lastName: "", username: "ada" })).toBe("a");
  });
});

import { describe, expect, it } from "vitest";
import { isPasswordUsable, makeUnusablePassword } from "./unusable.ts";

describe("makeUnusablePassword", () => {
  it("is ! followed by 40 random characters, like Django's make_password(None)", () => {
    expect(makeUnusablePassword()).toMatch(/^![a-zA-Z0-9]{40}$/);
    expect(makeUnusablePassword()).not.toBe(makeUnusablePassword());
  });
});

describe("isPasswordUsable", () => {
  it("is false for unusable passwords and true for hashes", () => {
    expect(isPasswordUsable(makeUnusablePassword())).toBe(false);
    expect(isPasswordUsable("!")).toBe(false);
    expect(isPasswordUsable("pbkdf2_sha256$1000$salt$hash")).toBe(true);
  });

  it("is false for a missing value", () => {
    expect(isPasswordUsable(null)).toBe(false);
    expect(isPasswordUsable(undefined)).toBe(false);
  });

  it("is true, as in Django, for an empty or unreadable hash, whose owner may still reset it", () => {
    expect(isPasswordUsable("")).toBe(true);
    expect(isPasswordUsable("crypt$$ab2nJ.5Lnwv4E")).toBe(true);
  });
});

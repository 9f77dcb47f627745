import { describe, expect, it } from "vitest";
import {
  normalizeUsername,
  USERNAME_INVALID_MESSAGE,
  USERNAME_MAX_LENGTH,
  USERNAME_MIXED_SCRIPTS_MESSAGE,
  usernameKey,
  validateUsername,
} from "./username.ts";

describe("normalizeUsername", () => {
  it("applies NFKC like Django's normalize_username", () => {
    expect(normalizeUsername("ａｄｍｉｎ")).toBe("admin");
    expect(normalizeUsername("iamthe\u2126")).toBe("iamthe\u03a9");
    expect(normalizeUsername("ﬁle")).toBe("file");
  });

  it("keeps the case", () => {
    expect(normalizeUsername("Admin")).toBe("Admin");
  });

  it("leaves over-long input alone instead of normalising it", () => {
    const huge = "ａ".repeat(1_000_000);
    expect(normalizeUsername(huge)).toBe(huge);
  });
});

describe("usernameKey", () => {
  it("maps spellings that differ only in case or compatibility form to one key", () => {
    const key = usernameKey("admin");
    expect(usernameKey("Admin")).toBe(key);
    expect(usernameKey("ADMIN")).toBe(key);
    expect(usernameKey("ａｄｍｉｎ")).toBe(key);
    expect(usernameKey("ＡＤＭＩＮ")).toBe(key);
  });

  it("treats the ohm sign and the Greek omega as the same letter", () => {
    expect(usernameKey("iamthe\u2126")).toBe(usernameKey("iamthe\u03a9"));
    expect(usernameKey("iamthe\u2126")).toBe(usernameKey("IAMTHE\u03c9"));
  });

  it("folds case beyond simple lower-casing", () => {
    expect(usernameKey("straße")).toBe(usernameKey("STRASSE"));
    expect(usernameKey("ΣΊΣΥΦΟΣ")).toBe(usernameKey("σίσυφος"));
  });

  it("keeps look-alikes from other scripts apart (they are rejected by validation instead)", () => {
    expect(usernameKey("\u0430dmin")).not.toBe(usernameKey("admin"));
  });

  it("is idempotent", () => {
    for (const name of ["Straße", "ﬁle", "ǅemal", "İstanbul", "ａｄｍｉｎ"]) {
      expect(usernameKey(usernameKey(name))).toBe(usernameKey(name));
    }
  });
});

describe("validateUsername", () => {
  it("accepts letters, digits and @ . + - _ in any script", () => {
    for (const name of [
      "alice",
      "bob_99",
      "first.last+tag@host-name",
      "Zoë",
      "李小龍",
      "Ωμέγα",
      "a",
      "x".repeat(150),
    ]) {
      expect(validateUsername(name), name).toEqual([]);
    }
  });

  it("validates the normalised value, so compatibility forms are accepted", () => {
    expect(validateUsername("ａｄｍｉｎ")).toEqual([]);
    expect(validateUsername("\u2126μέγα")).toEqual([]);
  });

  it("rejects other characters with Django's message", () => {
    for (const name of ["with space", "semi;colon", "slash/", "quote'", "emoji🙂", "   ", "tab\t"]) {
      expect(validateUsername(name), name).toEqual([USERNAME_INVALID_MESSAGE]);
    }
    expect(USERNAME_INVALID_MESSAGE).toBe(
      "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
    );
  });

  it("rejects invisible and direction-changing characters", () => {
    expect(validateUsername("admin\u200b")).toEqual([USERNAME_INVALID_MESSAGE]);
    expect(validateUsername("admin\u202eevil")).toEqual([USERNAME_INVALID_MESSAGE]);
    expect(validateUsername("\ufeffadmin")).toEqual([USERNAME_INVALID_MESSAGE]);
  });

  it("rejects a lone surrogate", () => {
    expect(validateUsername("ab\ud800cd")).toEqual([USERNAME_INVALID_MESSAGE]);
  });

  it("rejects NUL characters before anything else", () => {
    expect(validateUsername("ad\u0000min")).toEqual(["Null characters are not allowed."]);
  });

  it("requires a value", () => {
    expect(validateUsername("")).toEqual(["This field is required."]);
  });

  it("allows 150 characters and refuses 151 with Django's message", () => {
    expect(USERNAME_MAX_LENGTH).toBe(150);
    expect(validateUsername("a".repeat(150))).toEqual([]);
    expect(validateUsername("a".repeat(151))).toEqual(["Ensure this value has at most 150 characters (it has 151)."]);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(validateUsername("𝐚".repeat(150))).toEqual([]);
    expect(validateUsername("𝐚".repeat(151))).toEqual(["Ensure this value has at most 150 characters (it has 151)."]);
  });

  it("refuses over-long input by its raw length, without normalising it", () => {
    expect(validateUsername("a".repeat(1_000_000))).toEqual([
      "Ensure this value has at most 150 characters (it has 1000000).",
    ]);
    expect(validateUsername("a" + "\u0301".repeat(10_000))).toEqual([
      "Ensure this value has at most 150 characters (it has 10001).",
    ]);
  });

  it("checks the length again after NFKC, which can lengthen a value", () => {
    // U+337B SQUARE ERA NAME HEISEI becomes two characters (平成).
    expect(validateUsername("\u337b".repeat(80))).toEqual([
      "Ensure this value has at most 150 characters (it has 160).",
    ]);
  });

  it("rejects letters mixed from different scripts", () => {
    expect(validateUsername("\u0430dmin")).toEqual([USERNAME_MIXED_SCRIPTS_MESSAGE]);
    expect(validateUsername("pаypal")).toEqual([USERNAME_MIXED_SCRIPTS_MESSAGE]);
    expect(validateUsername("abcαβγ")).toEqual([USERNAME_MIXED_SCRIPTS_MESSAGE]);
    // Django accepts this one (its own test uses it); the seeded account can still log in, as
    // login looks the name up by usernameKey without validating it.
    expect(validateUsername("iamthe\u03a9")).toEqual([USERNAME_MIXED_SCRIPTS_MESSAGE]);
  });

  it("accepts mixed scripts as Django does when told to (usernames that already exist)", () => {
    expect(validateUsername("Ivan_Иван", { allowMixedScripts: true })).toEqual([]);
    expect(validateUsername("iamthe\u03a9", { allowMixedScripts: true })).toEqual([]);
    expect(validateUsername("Ivan Иван", { allowMixedScripts: true })).toEqual([USERNAME_INVALID_MESSAGE]);
  });

  it("allows the script mixes usual in East Asian names", () => {
    expect(validateUsername("tanaka_たなか_田中_タナカ")).toEqual([]);
    expect(validateUsername("kim김金")).toEqual([]);
    expect(validateUsername("александр_2024")).toEqual([]);
  });
});

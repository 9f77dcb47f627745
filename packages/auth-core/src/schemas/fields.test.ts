import { describe, expect, it } from "vitest";
import { loginInput, updateAccountInput } from "./auth.ts";
import { passwordField, textField } from "./fields.ts";

describe("text and password fields", () => {
  it("refuse a lone surrogate instead of storing a replacement character", () => {
    const name = textField(150, { optional: true });
    expect(name.safeParse("ab\uD800cd").success).toBe(false);
    expect(passwordField.safeParse("pass\uDC00word").success).toBe(false);
    expect(name.safeParse("emoji 😀 is fine").success).toBe(true);
    expect(passwordField.safeParse("😀 a fine passphrase").success).toBe(true);
  });

  it("refuse NUL characters", () => {
    expect(textField(10).safeParse("a\u0000b").success).toBe(false);
    expect(passwordField.safeParse("a\u0000bcdefgh").success).toBe(false);
  });
});

describe("a value of the wrong type", () => {
  const messages = (result: { error?: { issues: { message: string }[] } }): string[] =>
    result.error?.issues.map((issue) => issue.message) ?? [];

  it("is invalid, not missing: a number, a boolean, an array or an object", () => {
    for (const value of [1, true, ["a"], { $ne: "" }]) {
      expect(messages(textField(10).safeParse(value))).toEqual(["Enter a valid value."]);
      expect(messages(passwordField.safeParse(value))).toEqual(["Enter a valid value."]);
    }
  });

  it("is required when it is null or absent", () => {
    for (const value of [null, undefined]) {
      expect(messages(textField(10).safeParse(value))).toEqual(["This field is required."]);
      expect(messages(textField(10, { optional: true }).safeParse(value))).toEqual(["This field is required."]);
      expect(messages(passwordField.safeParse(value))).toEqual(["This field is required."]);
    }
    expect(messages(passwordField.safeParse(""))).toEqual(["This field is required."]);
  });
});

describe("a value over the cap on absurd input", () => {
  it("is told the field's real limit and its own length, not the cap", () => {
    const username = textField(300, { limit: 150 });
    expect(username.safeParse("a".repeat(301)).error?.issues.map((issue) => issue.message)).toEqual([
      "Ensure this value has at most 150 characters (it has 301).",
    ]);
    expect(
      textField(10)
        .safeParse("😀".repeat(11))
        .error?.issues.map((issue) => issue.message),
    ).toEqual(["Ensure this value has at most 10 characters (it has 11)."]);
  });
});

describe("fields Django's forms strip", () => {
  it("lose surrounding whitespace: usernames and names, never passwords", () => {
    expect(loginInput.parse({ username: " alice\t", password: " secret " })).toEqual({
      username: "alice",
      password: " secret ",
    });
    expect(updateAccountInput.parse({ firstName: " Ada ", lastName: "  ", email: "ada@example.com" })).toMatchObject({
      firstName: "Ada",
      lastName: "",
    });
  });
});

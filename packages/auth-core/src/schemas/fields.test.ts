import { describe, expect, it } from "vitest";
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

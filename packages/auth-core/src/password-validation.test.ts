import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCommonPasswords } from "./common-passwords.ts";
import { PASSWORD_MAX_LENGTH } from "./password-length.ts";
import { passwordValidatorsHelpText, validatePassword, type PasswordUserAttributes } from "./password-validation.ts";

interface DjangoValidationVectors {
  readonly versions: Readonly<Record<string, string>>;
  readonly helpTexts: readonly string[];
  readonly users: Readonly<Record<string, PasswordUserAttributes | null>>;
  readonly vectors: readonly {
    readonly user: string;
    readonly password: string;
    readonly errors: readonly { readonly code: string; readonly message: string }[];
  }[];
}

const django = JSON.parse(
  readFileSync(new URL("../test/vectors/django-password-validation.json", import.meta.url), "utf8"),
) as DjangoValidationVectors;

const testclient: PasswordUserAttributes = {
  username: "testclient",
  firstName: "Test",
  lastName: "Client",
  email: "testclient@example.com",
};

describe("validatePassword", () => {
  it("accepts a long, uncommon password", async () => {
    expect(await validatePassword("correct horse battery staple", testclient)).toEqual([]);
  });

  it("reports a password under 8 characters with Django's message", async () => {
    expect(await validatePassword("k9#Lm2q")).toEqual([
      { code: "password_too_short", message: "This password is too short. It must contain at least 8 characters." },
    ]);
  });

  it("uses the singular in the length message for a minimum of 1", async () => {
    expect(await validatePassword("", null, { minLength: 1 })).toEqual([
      { code: "password_too_short", message: "This password is too short. It must contain at least 1 character." },
    ]);
  });

  it("counts characters, not UTF-16 units", async () => {
    expect(await validatePassword("🔑🔒🔓🗝️🔐🛡")).toContainEqual(
      expect.objectContaining({ code: "password_too_short" }),
    );
    expect(await validatePassword("🔑🔒🔓🔐🛡🗝🧷🪪")).toEqual([]);
  });

  it("reports a common password, whatever its case and surrounding spaces", async () => {
    const error = { code: "password_too_common", message: "This password is too common." };
    expect(await validatePassword("password123")).toEqual([error]);
    expect(await validatePassword("  PassWord123 ")).toEqual([error]);
  });

  it("strips the whitespace Python's strip() does, no more, no less", async () => {
    const error = { code: "password_too_common", message: "This password is too common." };
    expect(await validatePassword("password\u001f")).toEqual([error]);
    expect(await validatePassword("password\u0085")).toEqual([error]);
    expect(await validatePassword("\ufeffpassword")).toEqual([]);
  });

  it("compares a username with the password as it will be stored (NFKC)", async () => {
    expect(await validatePassword("johnsmith1", { username: "ｊｏｈｎｓｍｉｔｈ" })).toEqual([
      { code: "password_too_similar", message: "The password is too similar to the username." },
    ]);
  });

  it("reports an entirely numeric password, in any script", async () => {
    const error = { code: "password_entirely_numeric", message: "This password is entirely numeric." };
    expect(await validatePassword("90210907856")).toEqual([error]);
    expect(await validatePassword("١٢٣٤٥٦٧٨٩٠١")).toEqual([error]);
    expect(await validatePassword("²³¹²³¹²³¹")).toEqual([error]);
  });

  it("names the attribute a password is too similar to", async () => {
    const similar = (field: string): unknown => [
      { code: "password_too_similar", message: `The password is too similar to the ${field}.` },
    ];
    expect(await validatePassword("testclient", testclient)).toEqual(similar("username"));
    expect(await validatePassword("example.com", testclient)).toEqual(similar("email address"));
    expect(
      await validatePassword("testclient", testclient, { userAttributes: ["firstName"], maxSimilarity: 0.3 }),
    ).toEqual(similar("first name"));
    expect(await validatePassword("Clienter1", { lastName: "Clienter" })).toEqual(similar("last name"));
  });

  it("does not compare with attributes when there is no user", async () => {
    expect(await validatePassword("testclient")).toEqual([]);
  });

  it("rejects a password identical to the attribute even at max similarity 1", async () => {
    const errors = await validatePassword("Test", testclient, { userAttributes: ["firstName"], maxSimilarity: 1 });
    expect(errors[0]).toEqual({
      code: "password_too_similar",
      message: "The password is too similar to the first name.",
    });
  });

  it("refuses a max similarity under 0.1 like Django", async () => {
    await expect(validatePassword("whatever", testclient, { maxSimilarity: 0.09 })).rejects.toThrow(
      "maxSimilarity must be at least 0.1",
    );
  });

  it("returns every failing message, in Django's validator order", async () => {
    expect((await validatePassword("1234567", testclient)).map((error) => error.code)).toEqual([
      "password_too_short",
      "password_too_common",
      "password_entirely_numeric",
    ]);
  });

  it("skips the similarity comparison for very long passwords (CVE-2021-45115)", async () => {
    const long = "testclient".repeat(400);
    expect(await validatePassword(long, testclient)).toEqual([]);
  });

  it("refuses a password over the maximum length without running the other validators", async () => {
    expect(await validatePassword("1".repeat(PASSWORD_MAX_LENGTH + 1), testclient)).toEqual([
      { code: "password_too_long", message: "Password is too long (at most 4096 characters)." },
    ]);
    expect(await validatePassword("x".repeat(1024 * 1024))).toEqual([
      { code: "password_too_long", message: "Password is too long (at most 4096 characters)." },
    ]);
    expect(await validatePassword("x".repeat(PASSWORD_MAX_LENGTH))).toEqual([]);
  });

  it(`gives Django ${django.versions.django ?? ""}'s answer for each of its ${django.vectors.length} recorded cases`, async () => {
    for (const vector of django.vectors) {
      const user = django.users[vector.user] ?? null;
      const errors = await validatePassword(vector.password, user);
      expect(errors, `${vector.user} / ${JSON.stringify(vector.password)}`).toEqual(vector.errors);
    }
  });
});

describe("passwordValidatorsHelpText", () => {
  it("returns Django's help texts in Django's order", () => {
    expect(passwordValidatorsHelpText()).toEqual(django.helpTexts);
  });

  it("follows a configured minimum length", () => {
    expect(passwordValidatorsHelpText({ minLength: 12 })).toContain(
      "Your password must contain at least 12 characters.",
    );
    expect(passwordValidatorsHelpText({ minLength: 1 })).toContain("Your password must contain at least 1 character.");
  });
});

describe("the common password list", () => {
  it("is Django's list, lower-cased and deduplicated", async () => {
    const list = await loadCommonPasswords();
    expect(list.size).toBe(19_727);
    for (const entry of list) expect(entry).toBe(entry.toLowerCase().trim());
  });

  it("is loaded once and shared", async () => {
    expect(await loadCommonPasswords()).toBe(await loadCommonPasswords());
  });
});

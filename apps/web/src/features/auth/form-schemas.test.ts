import { describe, expect, it } from "vitest";
import {
  loginForm,
  passwordChangeForm,
  PASSWORD_RULES_MESSAGE,
  PASSWORDS_DIFFER_MESSAGE,
  resetPasswordForm,
  signupForm,
} from "./form-schemas.ts";

async function issuesOf(
  result: Promise<{ success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }>,
) {
  const { error } = await result;
  const byField: Record<string, string[]> = {};
  for (const issue of error?.issues ?? []) (byField[issue.path.map(String).join(".")] ??= []).push(issue.message);
  return byField;
}

describe("signupForm", () => {
  it("reports the server's rules for each field", async () => {
    const issues = await issuesOf(
      signupForm.safeParseAsync({
        username: "bad name!",
        email: "not-an-email",
        password: "12345678",
        passwordConfirmation: "12345679",
      }),
    );
    expect(issues.username?.[0]).toMatch(/^Enter a valid username/);
    expect(issues.email).toEqual(["Enter a valid email address."]);
    expect(issues.password).toEqual([PASSWORD_RULES_MESSAGE]);
    expect(issues.passwordConfirmation).toEqual([PASSWORDS_DIFFER_MESSAGE]);
  });

  it("says every empty field is required, once", async () => {
    const issues = await issuesOf(
      signupForm.safeParseAsync({ username: "", email: "", password: "", passwordConfirmation: "" }),
    );
    expect(issues).toEqual({
      username: ["This field is required."],
      email: ["This field is required."],
      password: ["This field is required."],
      passwordConfirmation: ["This field is required."],
    });
  });

  it("checks the password's similarity to the username being chosen", async () => {
    const issues = await issuesOf(
      signupForm.safeParseAsync({
        username: "marmalade",
        email: "m@example.com",
        password: "marmalade1",
        passwordConfirmation: "marmalade1",
      }),
    );
    expect(issues.password).toEqual([PASSWORD_RULES_MESSAGE]);
  });

  it("accepts a good sign-up", async () => {
    const result = await signupForm.safeParseAsync({
      username: "alice",
      email: "alice@example.com",
      password: "Tangerine-Ladder-42!",
      passwordConfirmation: "Tangerine-Ladder-42!",
    });
    expect(result.success).toBe(true);
  });
});

describe("resetPasswordForm", () => {
  it("leaves the similarity rule to the server, which knows whose link it is", async () => {
    const result = await resetPasswordForm.safeParseAsync({
      newPassword: "alice-liddell-1",
      newPasswordConfirmation: "alice-liddell-1",
    });
    expect(result.success).toBe(true);
  });
});

describe("passwordChangeForm", () => {
  it("compares the new password with the user's own details", async () => {
    const issues = await issuesOf(
      passwordChangeForm({
        username: "alice",
        firstName: "Alice",
        lastName: "Liddell",
        email: "alice@example.com",
      }).safeParseAsync({ oldPassword: "x", newPassword: "liddell", newPasswordConfirmation: "liddell" }),
    );
    expect(issues.newPassword).toEqual([PASSWORD_RULES_MESSAGE]);
  });
});

describe("loginForm", () => {
  it("is the API's own login schema: both fields required, nothing more", async () => {
    const issues = await issuesOf(loginForm.safeParseAsync({ username: "", password: "" }));
    expect(issues).toEqual({ username: ["This field is required."], password: ["This field is required."] });
    expect((await loginForm.safeParseAsync({ username: "a", password: "1" })).success).toBe(true);
  });
});

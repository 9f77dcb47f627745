// First: the schemas imported below are built as they load, and must be built jitless.
import "../forms/zod-jitless.ts";
import {
  normalizeEmail,
  REQUIRED_MESSAGE,
  validateEmail,
  validatePassword,
  validateUsername,
  type PasswordUserAttributes,
  type PasswordValidationErrorCode,
} from "@tsbin/auth-core";
import {
  changePasswordInput,
  EMAIL_CHANGE_PASSWORD_REQUIRED_MESSAGE,
  loginInput,
  requestPasswordResetInput,
  resetPasswordInput,
  signupInput,
  updateAccountInput,
} from "@tsbin/auth-core/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import type { Resolver } from "react-hook-form";
import { z } from "zod";

// The forms parse with the API's own input schemas, then add the checks its procedures run
// (Django's username, email and password validators), so the browser reports what the server
// would, before the round trip. The server still decides.

/**
 * Stands for the failed Django rules that the requirements checklist under the field already
 * marks, so the same failure is not listed twice.
 */
export const PASSWORD_RULES_MESSAGE = "This password doesn’t meet the requirements above.";

/** The rules the checklist shows; the similarity rule only when the page knows the user. */
const CHECKLIST_CODES: ReadonlySet<PasswordValidationErrorCode> = new Set([
  "password_too_short",
  "password_too_common",
  "password_entirely_numeric",
]);

/** Django's message when a password and its confirmation differ. */
export const PASSWORDS_DIFFER_MESSAGE = "The two password fields didn’t match.";

type IssueSink = z.core.$RefinementCtx;

function report(ctx: IssueSink, path: string, messages: readonly string[]): void {
  for (const message of messages) ctx.addIssue({ code: "custom", path: [path], message });
}

async function checkNewPassword(
  ctx: IssueSink,
  path: string,
  password: string,
  confirmationPath: string,
  confirmation: string,
  user: PasswordUserAttributes | null,
): Promise<void> {
  if (password !== "") {
    const errors = await validatePassword(password, user);
    const shown = (code: PasswordValidationErrorCode): boolean =>
      CHECKLIST_CODES.has(code) || (code === "password_too_similar" && user !== null);
    const unlisted = errors.filter((error) => !shown(error.code)).map((error) => error.message);
    report(ctx, path, errors.some((error) => shown(error.code)) ? [PASSWORD_RULES_MESSAGE, ...unlisted] : unlisted);
  }
  if (confirmation !== "" && confirmation !== password) report(ctx, confirmationPath, [PASSWORDS_DIFFER_MESSAGE]);
}

const confirmationField = z.string().min(1, { message: REQUIRED_MESSAGE });

export const loginForm = loginInput;
export type LoginValues = z.infer<typeof loginForm>;

export const signupForm = signupInput
  .extend({ passwordConfirmation: confirmationField })
  .superRefine(async (values, ctx) => {
    if (values.username !== "") report(ctx, "username", validateUsername(values.username));
    if (values.email !== "") report(ctx, "email", validateEmail(values.email));
    await checkNewPassword(ctx, "password", values.password, "passwordConfirmation", values.passwordConfirmation, {
      username: values.username,
      email: values.email,
    });
  });
export type SignupValues = z.infer<typeof signupForm>;

const passwordChangeFields = changePasswordInput.extend({ newPasswordConfirmation: confirmationField });
export type PasswordChangeValues = z.infer<typeof passwordChangeFields>;

/** The password change form; the new password is compared with this user's details. */
export function passwordChangeForm(
  user: PasswordUserAttributes,
): z.ZodType<PasswordChangeValues, PasswordChangeValues> {
  return passwordChangeFields.superRefine(async (values, ctx) => {
    await checkNewPassword(
      ctx,
      "newPassword",
      values.newPassword,
      "newPasswordConfirmation",
      values.newPasswordConfirmation,
      user,
    );
  });
}

// The page does not know whose link it is, so the similarity rule is left to the server.
export const resetPasswordForm = resetPasswordInput
  .omit({ token: true })
  .extend({ newPasswordConfirmation: confirmationField })
  .superRefine(async (values, ctx) => {
    await checkNewPassword(
      ctx,
      "newPassword",
      values.newPassword,
      "newPasswordConfirmation",
      values.newPasswordConfirmation,
      null,
    );
  });
export type ResetPasswordValues = z.infer<typeof resetPasswordForm>;

export const requestPasswordResetForm = requestPasswordResetInput.superRefine((values, ctx) => {
  if (values.email !== "") report(ctx, "email", validateEmail(values.email));
});
export type RequestPasswordResetValues = z.infer<typeof requestPasswordResetForm>;

export type AccountValues = z.infer<typeof updateAccountInput>;

/**
 * The account settings form. A new email address (one that would store a value other than
 * `currentEmail`, compared as the API compares) needs the current password, as the API requires.
 */
export function accountForm(currentEmail: string): z.ZodType<AccountValues, AccountValues> {
  return updateAccountInput.superRefine((values, ctx) => {
    if (values.email !== "") report(ctx, "email", validateEmail(values.email));
    if (normalizeEmail(values.email) !== currentEmail && !values.password) {
      report(ctx, "password", [EMAIL_CHANGE_PASSWORD_REQUIRED_MESSAGE]);
    }
  });
}

/** The resolvers of every form, here so that zod and the validators stay in this module's chunk. */
export interface FormResolvers {
  login: Resolver<LoginValues>;
  signup: Resolver<SignupValues>;
  requestPasswordReset: Resolver<RequestPasswordResetValues>;
  resetPassword: Resolver<ResetPasswordValues>;
  account: (currentEmail: string) => Resolver<AccountValues>;
  passwordChange: (user: PasswordUserAttributes) => Resolver<PasswordChangeValues>;
}

/** Loaded lazily by `form-resolvers.ts`. */
export const resolvers: FormResolvers = {
  login: zodResolver(loginForm),
  signup: zodResolver(signupForm),
  requestPasswordReset: zodResolver(requestPasswordResetForm),
  resetPassword: zodResolver(resetPasswordForm),
  account: (currentEmail) => zodResolver(accountForm(currentEmail)),
  passwordChange: (user) => zodResolver(passwordChangeForm(user)),
};

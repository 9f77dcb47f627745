import { EMAIL_MAX_LENGTH, INVALID_VALUE_MESSAGE, USERNAME_MAX_LENGTH } from "../index.ts";
import { z } from "zod";
import { passwordField, textField } from "./fields.ts";

// Generous caps: the real rules (Django's validators) run in the procedures and report per field;
// these only stop absurd input before any work is done.
const IDENTIFIER_MAX = Math.max(USERNAME_MAX_LENGTH, EMAIL_MAX_LENGTH);
const TOKEN_MAX = 200;

export const loginInput = z.object({
  username: textField(IDENTIFIER_MAX, { strip: true }),
  password: passwordField,
});

export const signupInput = z.object({
  username: textField(USERNAME_MAX_LENGTH * 2, { limit: USERNAME_MAX_LENGTH, strip: true }),
  email: textField(EMAIL_MAX_LENGTH * 2, { limit: EMAIL_MAX_LENGTH }),
  password: passwordField,
});

export const changePasswordInput = z.object({
  oldPassword: passwordField,
  newPassword: passwordField,
});

export const requestPasswordResetInput = z.object({
  email: textField(EMAIL_MAX_LENGTH * 2, { limit: EMAIL_MAX_LENGTH }),
});

export const resetTokenInput = z.object({
  token: textField(TOKEN_MAX),
});

export const resetPasswordInput = z.object({
  token: textField(TOKEN_MAX),
  newPassword: passwordField,
});

/** The field error of an email change sent without the current password. */
export const EMAIL_CHANGE_PASSWORD_REQUIRED_MESSAGE = "Enter your current password to change your email address.";

export const updateAccountInput = z.object({
  firstName: textField(150, { optional: true, strip: true }),
  lastName: textField(150, { optional: true, strip: true }),
  email: textField(EMAIL_MAX_LENGTH * 2, { limit: EMAIL_MAX_LENGTH }),
  // The current password, needed only when the email address changes (reset links go to it). Left
  // out or empty when it does not: a form with an empty password field may send "".
  password: z.union([z.literal(""), passwordField], { error: INVALID_VALUE_MESSAGE }).optional(),
});

export const sessionIdInput = z.object({
  id: textField(64),
});

/** Procedures without input still take `{}` (or nothing), and nothing else. */
export const emptyInput = z.object({}).strict().optional();

import { EMAIL_CHANGE_PASSWORD_REQUIRED_MESSAGE } from "@tsbin/auth-core/schemas";

/** Every message the API answers with, in one place (Django's wording where Django has one). */
export const MESSAGES = {
  invalidLogin: "Please enter a correct username and password. Note that both fields may be case-sensitive.",
  loginRequired: "You must be logged in to do this.",
  permissionDenied: "You do not have permission to do this.",
  staffRequired: "Only staff members can do this.",
  passwordIncorrect: "Your old password was entered incorrectly. Please enter it again.",
  /** The same check as `passwordIncorrect`, for a form whose field is the current password (an email change). */
  currentPasswordIncorrect: "Your password was entered incorrectly. Please enter it again.",
  emailChangePasswordRequired: EMAIL_CHANGE_PASSWORD_REQUIRED_MESSAGE,
  passwordChangedMeanwhile: "Your password was changed by another request meanwhile. Please try again.",
  resetLinkInvalid: "This password reset link is invalid or has expired. Please request a new one.",
  resetRequested:
    "If an active account uses that email address, we have sent it instructions for setting a new password. Check your inbox (and spam folder).",
  sessionNotFound: "No such session.",
  unavailable: "The service is temporarily unavailable. Please try again in a moment.",
  internal: "Something went wrong on our side. Please try again.",
  invalidInput: "Please correct the errors below.",
} as const;

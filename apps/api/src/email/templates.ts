import type { EmailMessage } from "./message.ts";

const MINUTES_PER_HOUR = 60;

/** Values for {@link passwordResetEmail}. */
export interface PasswordResetEmailInput {
  to: string;
  username: string;
  /** `$PUBLIC_URL/reset-password/<token>`, built from configuration, never from the request's Host. */
  resetUrl: string;
  expiresInMinutes: number;
  siteName: string;
}

/** Values for {@link passwordChangedEmail}. */
export interface PasswordChangedEmailInput {
  to: string;
  username: string;
  siteName: string;
  /** When the password was changed. */
  when: Date;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/gu, (character) => HTML_ESCAPES[character] ?? character);
}

export function renderHtml(title: string, paragraphs: readonly string[]): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    "<body>",
    ...paragraphs.map((paragraph) => `<p>${paragraph}</p>`),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function formatDuration(minutes: number): string {
  if (minutes % MINUTES_PER_HOUR === 0) {
    const hours = minutes / MINUTES_PER_HOUR;
    return hours === 1 ? "1 hour" : `${hours} hours`;
  }
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

export function formatUtc(when: Date): string {
  if (Number.isNaN(when.getTime())) throw new RangeError("when: must be a valid date");
  return `${when.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * The password-reset email, in the words of Django's `registration/password_reset_email.html`, plus
 * the link's lifetime. The link is alone on its line in the text part so mail clients linkify it whole.
 */
export function passwordResetEmail({
  to,
  username,
  resetUrl,
  expiresInMinutes,
  siteName,
}: PasswordResetEmailInput): EmailMessage {
  // The href is the one place a hostile value could become script (javascript:); the URL is ours, but cheap to check.
  if (!/^https?:$/u.test(new URL(resetUrl).protocol)) throw new RangeError("resetUrl: must be an http(s) URL");
  if (!Number.isInteger(expiresInMinutes) || expiresInMinutes <= 0) {
    throw new RangeError("expiresInMinutes: must be a positive whole number");
  }
  const subject = `Password reset on ${siteName}`;
  const lifetime = formatDuration(expiresInMinutes);
  const text = [
    `You're receiving this email because you requested a password reset for your user account at ${siteName}.`,
    "",
    "Please go to the following page and choose a new password:",
    "",
    resetUrl,
    "",
    `This link expires in ${lifetime} and works only once; a newer reset request replaces it. If you did not request a password reset, ignore this email: your password will not change.`,
    "",
    `Your username, in case you've forgotten: ${username}`,
    "",
    "Thanks for using our site!",
    "",
    `The ${siteName} team`,
    "",
  ].join("\n");
  const html = renderHtml(subject, [
    `You're receiving this email because you requested a password reset for your user account at ${escapeHtml(siteName)}.`,
    "Please go to the following page and choose a new password:",
    `<a href="${escapeHtml(resetUrl)}">${escapeHtml(resetUrl)}</a>`,
    `This link expires in ${lifetime} and works only once; a newer reset request replaces it. If you did not request a password reset, ignore this email: your password will not change.`,
    `Your username, in case you've forgotten: <strong>${escapeHtml(username)}</strong>`,
    "Thanks for using our site!",
    `The ${escapeHtml(siteName)} team`,
  ]);
  return { to, subject, text, html };
}

/**
 * The notice sent after a password change or reset. It carries no secret and no link with a token,
 * so a stolen mailbox gains nothing from it; it tells the owner what to do if the change was not theirs.
 */
export function passwordChangedEmail({ to, username, siteName, when }: PasswordChangedEmailInput): EmailMessage {
  const subject = `Your password on ${siteName} was changed`;
  const changedAt = formatUtc(when);
  const notMe =
    "If you did not change it, someone else may know your password: reset it now from the login page, and tell the site's administrators.";
  const text = [
    `Hello ${username},`,
    "",
    `The password for your user account at ${siteName} was changed on ${changedAt}.`,
    "",
    "If you made this change, there is nothing else to do.",
    "",
    notMe,
    "",
    "Thanks for using our site!",
    "",
    `The ${siteName} team`,
    "",
  ].join("\n");
  const html = renderHtml(subject, [
    `Hello <strong>${escapeHtml(username)}</strong>,`,
    `The password for your user account at ${escapeHtml(siteName)} was changed on ${changedAt}.`,
    "If you made this change, there is nothing else to do.",
    escapeHtml(notMe),
    "Thanks for using our site!",
    `The ${escapeHtml(siteName)} team`,
  ]);
  return { to, subject, text, html };
}

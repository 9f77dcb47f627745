import { maskEmail } from "./mask-email.ts";
import type { EmailMessage } from "./message.ts";
import { escapeHtml, formatUtc, renderHtml } from "./templates.ts";

/** Values for {@link emailChangedEmail}. */
export interface EmailChangedEmailInput {
  /** The address the account had before the change: the notice goes there, never to the new one. */
  to: string;
  username: string;
  /** The address the account has now (empty when it was removed); shown masked only. */
  newEmail: string;
  siteName: string;
  /** When the address was changed. */
  when: Date;
}

/**
 * The notice sent to the old address after an account's email address changed. Password-reset links
 * now go to the new address, so someone who took over a session and moved the address away could
 * also take the password: the old address is told, with the new one masked (its owner recognises
 * it; a stranger reading this mailbox learns little), and told to contact the administrators rather
 * than reset the password, whose link would reach the new address. No secret and no link.
 */
export function emailChangedEmail({ to, username, newEmail, siteName, when }: EmailChangedEmailInput): EmailMessage {
  const subject = `The email address of your account on ${siteName} was changed`;
  const changedAt = formatUtc(when);
  const masked = newEmail === "" ? "" : maskEmail(newEmail);
  const whatChanged = (site: string, address: string): string =>
    newEmail === ""
      ? `The email address of your user account at ${site} was removed on ${changedAt}.`
      : `The email address of your user account at ${site} was changed to ${address} on ${changedAt}.`;
  const consequence = "This address will no longer receive password reset links or notices for the account.";
  const notMe =
    "If you did not make this change, someone else may be using your account. Password reset links now go to the new address, so do not try to reset your password: contact the site's administrators at once, from this address, and ask them to restore it. If you can still log in, change your password too, which logs out every other session.";
  const text = [
    `Hello ${username},`,
    "",
    whatChanged(siteName, masked),
    "",
    consequence,
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
    whatChanged(escapeHtml(siteName), `<strong>${escapeHtml(masked)}</strong>`),
    consequence,
    "If you made this change, there is nothing else to do.",
    escapeHtml(notMe),
    "Thanks for using our site!",
    `The ${escapeHtml(siteName)} team`,
  ]);
  return { to, subject, text, html };
}

import type { PasswordValidationErrorCode } from "@tsbin/auth-core";

// The API sends Django's messages for a refused password, not their codes. auth-core words the
// similarity rule's message this way whichever detail (username, email address...) it matched.
const TOO_SIMILAR = /^The password is too similar to the /u;

/**
 * The password rules the server's messages say a password failed, of those the page cannot check
 * itself: on a reset link it does not know whose account it is, so it cannot check similarity.
 */
export function serverOnlyPasswordFailures(messages: readonly string[]): PasswordValidationErrorCode[] {
  return messages.some((message) => TOO_SIMILAR.test(message)) ? ["password_too_similar"] : [];
}

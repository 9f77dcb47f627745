import { exceedsCodePoints } from "./unicode.ts";

/**
 * The longest password tsbin accepts, in characters (code points). Longer values are refused
 * before any hashing or validation work, so a huge request body cannot buy CPU time
 * (Django's CVE-2013-1443 limit).
 */
export const PASSWORD_MAX_LENGTH = 4096;

/** The message given when a password is longer than `PASSWORD_MAX_LENGTH`. */
export const PASSWORD_TOO_LONG_MESSAGE = `Password is too long (at most ${PASSWORD_MAX_LENGTH} characters).`;

/** Whether `password` is longer than `PASSWORD_MAX_LENGTH`; cheap on input of any size. */
export function isPasswordTooLong(password: string): boolean {
  return exceedsCodePoints(password, PASSWORD_MAX_LENGTH);
}

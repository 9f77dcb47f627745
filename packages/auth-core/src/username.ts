import { hasMixedScripts } from "./mixed-scripts.ts";
import { maxLengthMessage, NULL_CHARACTERS_MESSAGE, REQUIRED_MESSAGE } from "./field-messages.ts";
import { caselessKey, codePointLength, containsNul, exceedsCodePoints } from "./unicode.ts";

/** Django's `AbstractUser.username` `max_length`, in code points. */
export const USERNAME_MAX_LENGTH = 150;

/** Django's `UnicodeUsernameValidator` message. */
export const USERNAME_INVALID_MESSAGE =
  "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.";

/**
 * tsbin's addition to Django's rules: a username may not mix scripts (UTS #39 "highly
 * restrictive"), so `аdmin` with a Cyrillic `а` cannot pose as `admin`.
 */
export const USERNAME_MIXED_SCRIPTS_MESSAGE =
  "Enter a valid username. This value may not mix letters from different scripts.";

// Python's `\w` on str is "alphanumeric or underscore": letters (L*) and numbers (N*). Marks,
// format characters (zero-width space, bidi controls) and whitespace are all outside it.
const USERNAME_PATTERN = /^[\p{L}\p{N}_.@+-]+$/u;

/**
 * Django's `AbstractBaseUser.normalize_username`: NFKC, so compatibility forms such as
 * full-width letters or the ohm sign become their ordinary characters. Case is kept.
 *
 * A value longer than `USERNAME_MAX_LENGTH` code points is returned unchanged: it can never be
 * valid, and NFKC over huge input is the CVE-2023-46695 denial of service.
 */
export function normalizeUsername(raw: string): string {
  if (exceedsCodePoints(raw, USERNAME_MAX_LENGTH)) return raw;
  return raw.normalize("NFKC");
}

/**
 * The case-insensitive comparison key of a username (NFKC, case-folded, NFKC), which the database
 * stores and indexes uniquely: `Admin`, `ADMIN` and `ａｄｍｉｎ` all have the key `admin`.
 * Over-long values are returned unchanged, as in `normalizeUsername`.
 */
export function usernameKey(raw: string): string {
  if (exceedsCodePoints(raw, USERNAME_MAX_LENGTH)) return raw;
  return caselessKey(raw);
}

export interface UsernameRules {
  /**
   * Accept letters of several scripts, as Django does: for usernames that already exist (an import
   * from Django), which must keep working. Sign-up and renames leave it false.
   */
  allowMixedScripts?: boolean;
}

/**
 * Validates a username as submitted and returns Django's error messages (empty when valid).
 * The checks apply to `normalizeUsername(raw)`, the value that would be stored: 1 to 150 letters,
 * digits and `@ . + - _`, Unicode letters allowed, letters from a single script (unless
 * `allowMixedScripts`). NUL characters and over-long input are refused before any normalisation.
 */
export function validateUsername(raw: string, rules: UsernameRules = {}): string[] {
  if (raw.length === 0) return [REQUIRED_MESSAGE];
  if (containsNul(raw)) return [NULL_CHARACTERS_MESSAGE];
  if (exceedsCodePoints(raw, USERNAME_MAX_LENGTH)) {
    return [maxLengthMessage(USERNAME_MAX_LENGTH, codePointLength(raw))];
  }
  const username = raw.normalize("NFKC");
  const errors: string[] = [];
  const length = codePointLength(username);
  // NFKC can lengthen a value (one ligature becomes several letters), so check again.
  if (length > USERNAME_MAX_LENGTH) errors.push(maxLengthMessage(USERNAME_MAX_LENGTH, length));
  if (!USERNAME_PATTERN.test(username)) errors.push(USERNAME_INVALID_MESSAGE);
  else if (!rules.allowMixedScripts && hasMixedScripts(username)) errors.push(USERNAME_MIXED_SCRIPTS_MESSAGE);
  return errors;
}

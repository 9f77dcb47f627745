import { generateRandomString } from "../crypto.ts";

/** Django's `UNUSABLE_PASSWORD_PREFIX`: no encoded hash starts with it. */
export const UNUSABLE_PASSWORD_PREFIX = "!";

// Django's UNUSABLE_PASSWORD_SUFFIX_LENGTH: the random tail keeps unusable values distinct.
const UNUSABLE_PASSWORD_SUFFIX_LENGTH = 40;

/**
 * Django's `make_password(None)`: `"!"` followed by 40 random characters. It never verifies, not
 * even against itself.
 */
export function makeUnusablePassword(): string {
  return UNUSABLE_PASSWORD_PREFIX + generateRandomString(UNUSABLE_PASSWORD_SUFFIX_LENGTH);
}

/**
 * Django's `is_password_usable`: false for values made by `makeUnusablePassword` (an account
 * deliberately without a password, which a password reset must not give one). An empty or unreadable
 * hash is usable in this sense, as in Django: it never verifies, but its owner may reset it by email.
 * A missing value (`null`, `undefined`) is unusable.
 */
export function isPasswordUsable(encoded: string | null | undefined): boolean {
  return typeof encoded === "string" && !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
}

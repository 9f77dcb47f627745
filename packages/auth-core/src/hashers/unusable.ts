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
 * Django's `is_password_usable`: false for values made by `makeUnusablePassword`. Unlike Django,
 * a missing value (`null`, `undefined`, `""`) is unusable too, as it can never verify.
 */
export function isPasswordUsable(encoded: string | null | undefined): boolean {
  return typeof encoded === "string" && encoded.length > 0 && !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
}

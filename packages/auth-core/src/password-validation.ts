import { loadCommonPasswords } from "./common-passwords.ts";
import { isPasswordTooLong, PASSWORD_TOO_LONG_MESSAGE } from "./password-length.ts";
import { exceedsMaximumLengthRatio, quickRatio } from "./sequence-matcher.ts";
import { isDigitString, pythonStrip } from "./unicode.ts";
import { normalizeUsername } from "./username.ts";

/**
 * The error codes of Django's four validators, plus `password_too_long` for values over
 * `PASSWORD_MAX_LENGTH` (which tsbin refuses before running the others).
 */
export type PasswordValidationErrorCode =
  | "password_too_short"
  | "password_too_similar"
  | "password_too_common"
  | "password_entirely_numeric"
  | "password_too_long";

/** One failed rule: Django's error code and its English message. */
export interface PasswordValidationError {
  readonly code: PasswordValidationErrorCode;
  readonly message: string;
}

/** The user attributes the similarity rule compares with (Django's defaults), all optional. */
export interface PasswordUserAttributes {
  readonly username?: string | null;
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly email?: string | null;
}

/** Options of the validators; every default is Django's. */
export interface PasswordValidationOptions {
  /** `MinimumLengthValidator.min_length`, default 8. */
  readonly minLength?: number;
  /** `UserAttributeSimilarityValidator.max_similarity`, default 0.7, at least 0.1. */
  readonly maxSimilarity?: number;
  /** Attributes compared for similarity, default username, first name, last name, email. */
  readonly userAttributes?: readonly (keyof PasswordUserAttributes)[];
}

/** Django's `MinimumLengthValidator` default. */
export const PASSWORD_MIN_LENGTH = 8;

/** Django's `UserAttributeSimilarityValidator` default. */
export const PASSWORD_MAX_SIMILARITY = 0.7;

const DEFAULT_USER_ATTRIBUTES: readonly (keyof PasswordUserAttributes)[] = [
  "username",
  "firstName",
  "lastName",
  "email",
];

// The verbose names of Django's User fields, which its message interpolates.
const VERBOSE_NAMES: Readonly<Record<keyof PasswordUserAttributes, string>> = {
  username: "username",
  firstName: "first name",
  lastName: "last name",
  email: "email address",
};

// Python's `\W` on str: anything but letters, numbers and the underscore.
const NON_WORD = /[^\p{L}\p{N}_]+/u;

function characters(count: number): string {
  return count === 1 ? "character" : "characters";
}

function resolveOptions(options: PasswordValidationOptions): Required<PasswordValidationOptions> {
  const maxSimilarity = options.maxSimilarity ?? PASSWORD_MAX_SIMILARITY;
  if (!(maxSimilarity >= 0.1)) throw new RangeError("maxSimilarity must be at least 0.1");
  const minLength = options.minLength ?? PASSWORD_MIN_LENGTH;
  if (!Number.isInteger(minLength) || minLength < 0) throw new RangeError("minLength must be a non-negative integer");
  return { minLength, maxSimilarity, userAttributes: options.userAttributes ?? DEFAULT_USER_ATTRIBUTES };
}

function checkMinimumLength(password: string, minLength: number): PasswordValidationError | null {
  if (Array.from(password).length >= minLength) return null;
  return {
    code: "password_too_short",
    message: `This password is too short. It must contain at least ${minLength} ${characters(minLength)}.`,
  };
}

function checkSimilarity(
  password: string,
  user: PasswordUserAttributes | null | undefined,
  { maxSimilarity, userAttributes }: Required<PasswordValidationOptions>,
): PasswordValidationError | null {
  if (!user) return null;
  const lowered = password.toLowerCase();
  const passwordLength = Array.from(lowered).length;
  for (const attribute of userAttributes) {
    const given = user[attribute];
    if (typeof given !== "string" || given.length === 0) continue;
    // A username as typed is compared as it will be stored (NFKC), as Django's UserCreationForm does.
    const value = attribute === "username" ? normalizeUsername(given) : given;
    const valueLower = value.toLowerCase();
    for (const part of [...valueLower.split(NON_WORD), valueLower]) {
      if (exceedsMaximumLengthRatio(passwordLength, maxSimilarity, Array.from(part).length)) continue;
      if (quickRatio(lowered, part) >= maxSimilarity) {
        return {
          code: "password_too_similar",
          message: `The password is too similar to the ${VERBOSE_NAMES[attribute]}.`,
        };
      }
    }
  }
  return null;
}

async function checkCommon(password: string): Promise<PasswordValidationError | null> {
  const common = await loadCommonPasswords();
  if (!common.has(pythonStrip(password.toLowerCase()))) return null;
  return { code: "password_too_common", message: "This password is too common." };
}

function checkNumeric(password: string): PasswordValidationError | null {
  if (!isDigitString(password)) return null;
  return { code: "password_entirely_numeric", message: "This password is entirely numeric." };
}

/**
 * Runs Django's four password validators in the order of its project template's
 * `AUTH_PASSWORD_VALIDATORS` (user attribute similarity, minimum length, common passwords,
 * numeric) and returns every failure in that order; an empty array means the password is
 * acceptable. The same function runs in the browser and on the server; the common
 * password list is loaded lazily on first use.
 *
 * A password longer than `PASSWORD_MAX_LENGTH` yields only `password_too_long`.
 */
export async function validatePassword(
  password: string,
  user?: PasswordUserAttributes | null,
  options: PasswordValidationOptions = {},
): Promise<PasswordValidationError[]> {
  const resolved = resolveOptions(options);
  if (isPasswordTooLong(password)) return [{ code: "password_too_long", message: PASSWORD_TOO_LONG_MESSAGE }];
  const results = [
    checkSimilarity(password, user, resolved),
    checkMinimumLength(password, resolved.minLength),
    await checkCommon(password),
    checkNumeric(password),
  ];
  return results.filter((error) => error !== null);
}

/** Django's `password_validators_help_texts()` for the four validators, in the same order. */
export function passwordValidatorsHelpText(options: Pick<PasswordValidationOptions, "minLength"> = {}): string[] {
  const minLength = options.minLength ?? PASSWORD_MIN_LENGTH;
  return [
    "Your password can’t be too similar to your other personal information.",
    `Your password must contain at least ${minLength} ${characters(minLength)}.`,
    "Your password can’t be a commonly used password.",
    "Your password can’t be entirely numeric.",
  ];
}

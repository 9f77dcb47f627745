import {
  INVALID_VALUE_MESSAGE,
  maxLengthMessage,
  NULL_CHARACTERS_MESSAGE,
  PASSWORD_MAX_LENGTH,
  PASSWORD_TOO_LONG_MESSAGE,
  REQUIRED_MESSAGE,
} from "../index.ts";
import { z } from "zod";
import { codePointLength, pythonStrip } from "../unicode.ts";

/** Half of a UTF-16 surrogate pair on its own: not text, and silently replaced by U+FFFD if stored. */
const LONE_SURROGATE = /\p{Cs}/u;
const MALFORMED_TEXT_MESSAGE = "This value contains characters that are not valid text.";

/**
 * A string is required: a missing or null value is "required", as in Django's forms; a value that is
 * there but not a string (a number, an object) is invalid, which "required" would misdescribe.
 */
function stringRequired(): z.ZodString {
  return z.string({
    error: (issue) => (issue.input === undefined || issue.input === null ? REQUIRED_MESSAGE : INVALID_VALUE_MESSAGE),
  });
}

/**
 * A string field: required unless `optional`, at most `max` characters, no NUL (PostgreSQL's text
 * cannot hold it) and no lone surrogate — checked here, before the value reaches SQL or Unicode
 * normalisation. `limit` is the field's real maximum when `max` is only a cap on absurd input
 * (the validators behind it report the real one): a value over the cap is then told the real limit,
 * not the cap. `strip` removes surrounding whitespace first, as Django's forms do.
 */
export function textField(
  max: number,
  options: { optional?: boolean; limit?: number; strip?: boolean } = {},
): z.ZodString {
  const limit = options.limit ?? max;
  // Django's CharField strips surrounding whitespace before validating (strip=True), so "  ada "
  // is "ada" and a value of spaces only is missing.
  let schema = (options.strip ? stringRequired().overwrite(pythonStrip) : stringRequired())
    .max(max, {
      error: (issue) =>
        maxLengthMessage(limit, typeof issue.input === "string" ? codePointLength(issue.input) : max + 1),
    })
    .refine((value) => !value.includes("\u0000"), { message: NULL_CHARACTERS_MESSAGE })
    .refine((value) => !LONE_SURROGATE.test(value), { message: MALFORMED_TEXT_MESSAGE });
  if (!options.optional) schema = schema.min(1, { message: REQUIRED_MESSAGE });
  return schema;
}

/** A password as typed: never trimmed or normalised, at most 4096 characters. */
export const passwordField = stringRequired()
  .min(1, { message: REQUIRED_MESSAGE })
  .max(PASSWORD_MAX_LENGTH, { message: PASSWORD_TOO_LONG_MESSAGE })
  .refine((value) => !value.includes("\u0000"), { message: NULL_CHARACTERS_MESSAGE })
  .refine((value) => !LONE_SURROGATE.test(value), { message: MALFORMED_TEXT_MESSAGE });

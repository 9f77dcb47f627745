import { validateEmail, validatePassword, validateUsername } from "@tsbin/auth-core";
import { signupInput } from "@tsbin/auth-core/schemas";
import type { Database } from "@tsbin/db";
import { emailConflict, usernameConflict } from "../auth/user-lookup.ts";
import type { UserConflictError } from "../auth/user-store.ts";
import { compactFieldErrors, type FieldErrors } from "./field-errors.ts";

// Django's UserCreationForm reports every field at once. Sign-up's checks come in three layers:
// the input schema (type, NUL, length caps), Django's validators, and uniqueness (a database
// lookup). One field failing an earlier layer must not hide the other fields' messages — with one
// exception: input the schema refuses is answered before the sign-up rate limit, and so is never
// told whether a name or an address is taken (that lookup must count against the limit).

const FIELDS = ["username", "email", "password"] as const;
type Field = (typeof FIELDS)[number];

/** The sign-up fields that got past the input schema; a field left out is not checked again. */
export type SignupFields = Partial<Record<Field, string>>;

/**
 * Django's validators for each field given: the username's and email's rules, and the password's
 * four, which compare it with the username and the email given beside it.
 */
export async function signupFieldErrors(fields: SignupFields): Promise<FieldErrors | undefined> {
  const { username, email, password } = fields;
  const passwordErrors =
    password === undefined ? [] : (await validatePassword(password, { username, email })).map((e) => e.message);
  return compactFieldErrors({
    username: username === undefined ? [] : validateUsername(username),
    email: email === undefined ? [] : validateEmail(email),
    password: passwordErrors,
  });
}

/**
 * The "already exists" message for each of the username and email that is valid (`invalid` holds
 * the fields already refused) and taken, as the same field or as the other field of another user
 * (a login by it could not tell the two apart). Run after the rate limit: it tells whether a name
 * or an address is in use, which sign-up reveals by design, as Django's does.
 */
export async function signupConflicts(
  db: Database,
  fields: Record<"username" | "email", string>,
  invalid: FieldErrors | undefined,
): Promise<FieldErrors | undefined> {
  const conflict = async (
    field: "username" | "email",
    find: (db: Database, value: string) => Promise<UserConflictError | null>,
  ) => {
    const found = invalid?.[field] === undefined ? await find(db, fields[field]) : null;
    return found ? [found.message] : [];
  };
  return compactFieldErrors({
    username: await conflict("username", usernameConflict),
    email: await conflict("email", emailConflict),
  });
}

/** Each field's messages from `first`, then from `second`, in the form's field order. */
export function mergeFieldErrors(first: FieldErrors | undefined, second: FieldErrors | undefined): FieldErrors {
  const merged = Object.fromEntries(
    FIELDS.map((field) => [field, [...(first?.[field] ?? []), ...(second?.[field] ?? [])]]),
  );
  return compactFieldErrors(merged) ?? {};
}

/**
 * The sign-up input: `signupInput`, plus, when that refuses the input (a field missing or of the
 * wrong type, a NUL, a value over its cap such as a password over 4096 characters), Django's
 * validators on the fields it accepted, so that the 400 names every field to fix. The validators
 * of an accepted input run in the procedure, beside the uniqueness checks.
 */
export const signupRequest = signupInput.superRefine(
  async (_value, ctx) => {
    // Also reached with a value of the wrong shape: read it as unknown.
    const value: unknown = ctx.value;
    if (typeof value !== "object" || value === null) return;
    const refused = new Set(ctx.issues.map((issue) => issue.path?.[0]));
    const accepted: SignupFields = {};
    for (const field of FIELDS) {
      const raw: unknown = (value as Record<string, unknown>)[field];
      if (!refused.has(field) && typeof raw === "string") accepted[field] = raw;
    }
    const errors = await signupFieldErrors(accepted);
    for (const [field, messages] of Object.entries(errors ?? {})) {
      for (const message of messages) ctx.addIssue({ code: "custom", path: [field], message });
    }
  },
  // Only for input the schema refuses (an accepted one is validated in the procedure), but then
  // even when a field's type was wrong, which otherwise skips refinements.
  { when: (payload) => payload.issues.length > 0 },
);

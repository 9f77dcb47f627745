/** Messages per input field, e.g. `{ username: ["A user with that username already exists."] }`. */
export type FieldErrors = Record<string, string[]>;

/** The cause of a TRPCError that carries per-field messages for the form to show. */
export class FieldErrorsCause extends Error {
  override readonly name = "FieldErrorsCause";
  constructor(readonly fieldErrors: FieldErrors) {
    super("field errors");
  }
}

/** Drops fields without messages; undefined when none are left. */
export function compactFieldErrors(errors: Record<string, string[] | undefined>): FieldErrors | undefined {
  const entries = Object.entries(errors).filter((entry): entry is [string, string[]] => (entry[1]?.length ?? 0) > 0);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { describeApiError } from "../../lib/trpc-error.ts";

/**
 * Puts the API's per-field messages next to the form's fields, focusing the first, and returns what
 * is left for an alert above the form (the message when no field was named, plus messages for
 * fields the form does not have), or `null` when every message found its field.
 */
export function applyServerErrors<Values extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<Values>,
  fields: readonly Path<Values>[],
): string | null {
  const { message, fieldErrors } = describeApiError(error);
  const unplaced: string[] = [];
  let placed = 0;
  for (const [field, messages] of Object.entries(fieldErrors)) {
    const path = fields.find((name) => name === field);
    if (path === undefined || messages.length === 0) {
      unplaced.push(...messages);
      continue;
    }
    const types = Object.fromEntries(messages.map((text, index) => [`server${index}`, text]));
    setError(path, { type: "server", message: messages[0], types }, { shouldFocus: placed === 0 });
    placed += 1;
  }
  if (placed === 0) return message;
  return unplaced.length > 0 ? unplaced.join(" ") : null;
}

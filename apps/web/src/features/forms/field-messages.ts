import type { FieldError } from "react-hook-form";

/**
 * Every message of a react-hook-form field error. With `criteriaMode: "all"` a field can fail several
 * rules at once (Django lists every failed password rule), and the messages arrive under `types`.
 */
export function fieldMessages(error: FieldError | undefined): string[] {
  if (!error) return [];
  const fromTypes = Object.values(error.types ?? {}).flatMap((value) =>
    typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === "string") : [],
  );
  const messages = fromTypes.length > 0 ? fromTypes : error.message ? [error.message] : [];
  return [...new Set(messages)];
}

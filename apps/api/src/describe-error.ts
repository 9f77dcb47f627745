/**
 * One readable line for an error at start-up or on the command line, without a stack trace, and
 * without the SQL and parameters of a failed statement (see {@link withoutQueryText}).
 */
export function describeError(error: unknown): string {
  error = withoutQueryText(error);
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || (typeof code === "string" ? code : error.name);
    return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

/**
 * The error to describe in place of `error`: Drizzle wraps every failed statement in an error whose
 * message is the SQL text and its parameters (a password hash among them); the driver's error it
 * wraps carries the database's own message, which is all a user should see.
 */
export function withoutQueryText(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && isQueryError(current); depth += 1) {
    current = current.cause;
  }
  return isQueryError(current) || current === undefined ? new Error("a database statement failed") : current;
}

function isQueryError(error: unknown): error is Error & { cause?: unknown } {
  return error instanceof Error && error.message.startsWith("Failed query:");
}

import { TRPCClientError } from "@trpc/client";

/** An API error, reduced to what a page shows. */
export interface ApiErrorInfo {
  /** The tRPC error code (`UNAUTHORIZED`, `BAD_REQUEST`…), or `null` when the API was not reached. */
  code: string | null;
  /** A sentence for the user. */
  message: string;
  /** Messages per input field, to show next to the fields. */
  fieldErrors: Record<string, string[]>;
}

const NETWORK_MESSAGE = "The server could not be reached. Check your connection and try again.";

function isStringArrayRecord(value: unknown): value is Record<string, string[]> {
  if (typeof value !== "object" || value === null) return false;
  return Object.values(value).every(
    (messages) => Array.isArray(messages) && messages.every((message) => typeof message === "string"),
  );
}

/** Reads the code, message and field errors of anything a tRPC call may throw. */
export function describeApiError(error: unknown): ApiErrorInfo {
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    const record = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
    const code = typeof record.code === "string" ? record.code : null;
    const fieldErrors = isStringArrayRecord(record.fieldErrors) ? record.fieldErrors : {};
    // A response that is not tRPC's (a proxy's error page, a refused request) has no code.
    return { code, message: code === null ? NETWORK_MESSAGE : error.message, fieldErrors };
  }
  return { code: null, message: NETWORK_MESSAGE, fieldErrors: {} };
}

/** Whether the API answered that the request needs a logged-in user. */
export function isUnauthorized(error: unknown): boolean {
  return describeApiError(error).code === "UNAUTHORIZED";
}

import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { describeApiError, isUnauthorized } from "./trpc-error.ts";

// The error a tRPC response with this data turns into on the client.
function apiError(message: string, data: unknown): Error {
  return TRPCClientError.from({ error: { message, code: -32001, data } });
}

describe("describeApiError", () => {
  it("reads the code, message and field errors of a tRPC error", () => {
    const error = apiError("A user with that username already exists.", {
      code: "CONFLICT",
      httpStatus: 409,
      fieldErrors: { username: ["A user with that username already exists."] },
    });
    expect(describeApiError(error)).toEqual({
      code: "CONFLICT",
      message: "A user with that username already exists.",
      fieldErrors: { username: ["A user with that username already exists."] },
    });
  });

  it("treats an answer without a tRPC shape, or no answer, as the server not being reached", () => {
    expect(describeApiError(new TRPCClientError("Failed to fetch"))).toMatchObject({ code: null, fieldErrors: {} });
    expect(describeApiError(new Error("boom")).message).toMatch(/could not be reached/);
  });

  it("ignores field errors of the wrong shape", () => {
    const error = apiError("Bad", { code: "BAD_REQUEST", fieldErrors: { username: "not a list" } });
    expect(describeApiError(error).fieldErrors).toEqual({});
  });
});

describe("isUnauthorized", () => {
  it("is true only for UNAUTHORIZED", () => {
    expect(isUnauthorized(apiError("Log in", { code: "UNAUTHORIZED" }))).toBe(true);
    expect(isUnauthorized(apiError("No", { code: "FORBIDDEN" }))).toBe(false);
  });
});

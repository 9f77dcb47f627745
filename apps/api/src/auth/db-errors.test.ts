import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./db-errors.ts";

/** A driver error as Drizzle passes it on: the PostgreSQL error is the cause. */
function wrapped(code: string): Error {
  return new Error("Failed query", { cause: Object.assign(new Error("from PostgreSQL"), { code }) });
}

describe("isDatabaseUnavailable", () => {
  it("counts a database that is gone or refuses new logins as unavailable, not as a bug", () => {
    // The database was dropped under a running server, or its role or password changed.
    for (const code of ["3D000", "57P04", "28000", "28P01", "57P01", "08006", "ECONNREFUSED"]) {
      expect(isDatabaseUnavailable(wrapped(code)), code).toBe(true);
    }
  });

  it("leaves errors of the statement itself alone", () => {
    for (const code of ["23505", "42P01", "22001", "40P01"]) {
      expect(isDatabaseUnavailable(wrapped(code)), code).toBe(false);
    }
    expect(isDatabaseUnavailable(new Error("no code"))).toBe(false);
  });
});

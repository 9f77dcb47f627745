import { createTestDb } from "@tsbin/db/testing";
import { users } from "@tsbin/db";
import { describe, expect, it } from "vitest";
import { describeError, withoutQueryText } from "./describe-error.ts";

describe("withoutQueryText", () => {
  it("describes a failed statement by the database's message, without the SQL or its parameters", async () => {
    const db = await createTestDb();
    let failure: unknown;
    try {
      await db.db
        .insert(users)
        .values({ username: "u", usernameKey: "u", password: "secret$hash", email: "x".repeat(300) });
    } catch (error) {
      failure = error;
    } finally {
      await db.close();
    }
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain("secret$hash");
    const described = describeError(failure);
    expect(described).toMatch(/^value too long for type character varying\(254\)/);
    expect(described).not.toContain("secret$hash");
  });

  it("leaves other errors as they are", () => {
    const error = new Error("something else");
    expect(withoutQueryText(error)).toBe(error);
  });

  it("does not fall back on the SQL when a failed statement carries no cause", () => {
    const error = new Error("Failed query: select 1\nparams: secret");
    expect(describeError(error)).toBe("a database statement failed");
  });
});

import { validatePassword } from "@tsbin/auth-core";
import { describe, expect, it } from "vitest";
import { serverOnlyPasswordFailures } from "./server-password-errors.ts";

describe("serverOnlyPasswordFailures", () => {
  it("recognises the similarity rule's message for each detail it compares", async () => {
    const user = { username: "carol", email: "carol.jones@example.com", firstName: "Caroline", lastName: "Jonesworth" };
    for (const password of ["carol1234", "carol.jones@example", "caroline1", "jonesworth"]) {
      const messages = (await validatePassword(password, user)).map((error) => error.message);
      expect(messages.length).toBeGreaterThan(0);
      expect(serverOnlyPasswordFailures(messages)).toEqual(["password_too_similar"]);
    }
  });

  it("ignores the other rules' messages", async () => {
    const messages = (await validatePassword("1234", null)).map((error) => error.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(serverOnlyPasswordFailures(messages)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { redactPath } from "./request-log.ts";

describe("redactPath", () => {
  it("keeps reset tokens out of the log and leaves other paths alone", () => {
    expect(redactPath("/reset-password/abcd.efgh")).toBe("/reset-password/[redacted]");
    expect(redactPath("/reset-password/abcd.efgh/extra")).toBe("/reset-password/[redacted]/extra");
    expect(redactPath("/trpc/auth.login")).toBe("/trpc/auth.login");
    expect(redactPath("/login")).toBe("/login");
  });
});

import { describe, expect, it } from "vitest";
import { hashSecret as hashSecretJs } from "./crypto.ts";
import { hashSecret } from "./server-crypto.ts";

describe("hashSecret (server)", () => {
  it("gives the same digest as the browser-safe version, for ASCII and non-ASCII secrets", () => {
    for (const secret of ["", "abc", "v27rerqp6wqrduhvex5qrrbzfmuvbsua", "zoë-🔑-\u0000-ı"]) {
      expect(Buffer.from(hashSecret(secret)).toString("hex")).toBe(Buffer.from(hashSecretJs(secret)).toString("hex"));
    }
  });

  it("is SHA-256", () => {
    expect(Buffer.from(hashSecret("abc")).toString("hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

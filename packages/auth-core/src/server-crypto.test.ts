import { describe, expect, it } from "vitest";
import { hashSecret as hashSecretJs } from "./crypto.ts";
import { generateToken, hashSecret, verifyTokenSecret } from "./server-crypto.ts";
import { parseToken } from "./tokens.ts";

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

describe("generateToken (server)", () => {
  it("makes tokens in the browser-safe format, whose stored hash is the browser-safe digest of the secret", () => {
    const token = generateToken();
    expect(parseToken(token.token)).toEqual({ id: token.id, secret: token.secret });
    expect(token.id).not.toBe(token.secret);
    expect(Buffer.from(token.secretHash).toString("hex")).toBe(Buffer.from(hashSecretJs(token.secret)).toString("hex"));
    expect(verifyTokenSecret(token.secret, token.secretHash)).toBe(true);
    expect(verifyTokenSecret(token.id, token.secretHash)).toBe(false);
  });

  it("never repeats an id or a secret", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const { id, secret } = generateToken();
      seen.add(id).add(secret);
    }
    expect(seen.size).toBe(2000);
  });
});

import { describe, expect, it } from "vitest";
import { maskEmail } from "./mask-email.ts";

describe("maskEmail", () => {
  it("keeps the first letter of the local part and of the domain, and the top-level domain", () => {
    expect(maskEmail("alice@example.com")).toBe("a***@e***.com");
    expect(maskEmail("Bob.Smith+tag@Mail.Example.org")).toBe("B***@M***.org");
    expect(maskEmail("eve@bank.co.uk")).toBe("e***@b***.uk");
  });

  it("hides how long the hidden parts are", () => {
    expect(maskEmail("a@b.io")).toBe("a***@b***.io");
    expect(maskEmail("alexander.the.great@a-very-long-domain-name.io")).toBe("a***@a***.io");
  });

  it("counts a letter outside the BMP as one character, never half of it", () => {
    expect(maskEmail("😀smile@example.com")).toBe("😀***@e***.com");
    expect(maskEmail("mıke@example.org")).toBe("m***@e***.org");
  });

  it("skips a quoted local part's opening quote", () => {
    expect(maskEmail('"john doe"@example.com')).toBe("j***@e***.com");
  });

  it("hides an address literal whole, and a domain without a dot but its first letter", () => {
    expect(maskEmail("root@[192.0.2.1]")).toBe("r***@[***]");
    expect(maskEmail("root@localhost")).toBe("r***@l***");
    expect(maskEmail("root@localhost.")).toBe("r***@l***");
  });

  it("gives *** for what is not an address", () => {
    for (const value of ["", "nobody", "@example.com", "alice@"]) expect(maskEmail(value), value).toBe("***");
  });

  it("uses the last @, as the address's domain comes after it", () => {
    expect(maskEmail('"a@b"@example.com')).toBe("a***@e***.com");
  });
});

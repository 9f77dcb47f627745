import { describe, expect, it } from "vitest";
import { ENCODED_HASH_MAX_LENGTH, identifyHasher } from "./identify.ts";

describe("identifyHasher", () => {
  it("reads the algorithm before the first $", () => {
    expect(identifyHasher("argon2$argon2id$v=19$...")).toBe("argon2");
    expect(identifyHasher("pbkdf2_sha256$1$s$h")).toBe("pbkdf2_sha256");
    expect(identifyHasher("bcrypt_sha256$$2b$12$...")).toBe("bcrypt_sha256");
    expect(identifyHasher("md5$salt$0123")).toBe("md5");
  });

  it("recognises Django's unsalted legacy forms by their shape", () => {
    expect(identifyHasher("5f4dcc3b5aa765d61d8327deb882cf99")).toBe("unsalted_md5");
    expect(identifyHasher("md5$$5f4dcc3b5aa765d61d8327deb882cf99")).toBe("unsalted_md5");
    expect(identifyHasher("sha1$$5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8")).toBe("unsalted_sha1");
  });

  it("returns null for unknown, empty or oversized values", () => {
    expect(identifyHasher("")).toBeNull();
    expect(identifyHasher("crypt$$abc")).toBeNull();
    expect(identifyHasher("nodollarsign")).toBeNull();
    expect(identifyHasher(`argon2$${"x".repeat(ENCODED_HASH_MAX_LENGTH)}`)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { createPasswordHasher, INSECURE_TEST_PASSWORD_HASHER_PARAMS } from "../src/server.ts";
import { measureVerifyThroughput } from "./hashers.bench.ts";

describe("measureVerifyThroughput", () => {
  it("counts completed verifications of a matching password", async () => {
    const hasher = createPasswordHasher({ hashers: ["pbkdf2_sha256"], params: INSECURE_TEST_PASSWORD_HASHER_PARAMS });
    const encoded = await hasher.hash("secret");
    const result = await measureVerifyThroughput(encoded, "secret", { durationMs: 50, concurrency: 2, hasher });
    expect(result.algorithm).toBe("pbkdf2_sha256");
    expect(result.concurrency).toBe(2);
    expect(result.verifies).toBeGreaterThan(0);
    expect(result.perSecond).toBeCloseTo((result.verifies * 1000) / result.elapsedMs, 6);
  });

  it("refuses to measure a password that does not match", async () => {
    const hasher = createPasswordHasher({ hashers: ["pbkdf2_sha256"], params: INSECURE_TEST_PASSWORD_HASHER_PARAMS });
    const encoded = await hasher.hash("secret");
    await expect(measureVerifyThroughput(encoded, "wrong", { durationMs: 10, hasher })).rejects.toThrow(
      "does not match",
    );
  });
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "bench/**/*.test.ts"],
    // A few tests verify hashes at Django's default cost or run Python; keep room for a busy CI.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

import { configDefaults, defineConfig } from "vitest/config";

// Losing a backend mid-query can only happen on a real server: without DATABASE_URL (the PGlite run)
// that file is not part of the suite.
const needsServer = ["src/connection-loss.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    exclude: [...configDefaults.exclude, ...(process.env.DATABASE_URL ? [] : needsServer)],
  },
});

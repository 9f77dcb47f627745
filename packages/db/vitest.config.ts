import { configDefaults, defineConfig } from "vitest/config";

// Losing a backend mid-query can only happen on a real server: without DATABASE_URL (the PGlite run)
// that file is not part of the suite.
const needsServer = ["src/connection-loss.test.ts"];
// The embedded database's lock never involves a server. CI's second pass, on PostgreSQL, sets
// TSBIN_TEST_SERVER_ONLY and leaves it out: it ran in the PGlite pass just before.
const embeddedOnly = ["src/data-dir-lock.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    exclude: [
      ...configDefaults.exclude,
      ...(process.env.DATABASE_URL ? [] : needsServer),
      ...(process.env.TSBIN_TEST_SERVER_ONLY ? embeddedOnly : []),
    ],
  },
});

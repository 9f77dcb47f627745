import { configDefaults, defineConfig } from "vitest/config";

// Files that start the server or the CLI on an embedded database or a DATABASE_URL of their own, so
// they test the same thing whatever the suite's database is. CI's second pass, on PostgreSQL, sets
// TSBIN_TEST_SERVER_ONLY and leaves them out: they ran in the PGlite pass just before.
const databaseIndependent = ["src/start.test.ts", "src/cli/manage.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts"],
          // As below: the files share no state, and reusing one module graph per worker spares each
          // file that opens an embedded database PGlite's start-up (seconds on a slow host).
          isolate: false,
          exclude: [...configDefaults.exclude, ...(process.env.TSBIN_TEST_SERVER_ONLY ? databaseIndependent : [])],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          // Each file starts its own server on its own database and shares no state with the others,
          // so one module graph per worker is safe; it lets every file reuse the migrated PGlite
          // template instead of migrating again (seconds per file).
          isolate: false,
        },
      },
    ],
  },
});

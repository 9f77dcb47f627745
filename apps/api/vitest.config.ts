import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["src/**/*.test.ts"] } },
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

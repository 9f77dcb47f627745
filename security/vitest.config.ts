import { defineConfig } from "vitest/config";
import { AreaSequencer } from "./src/reporting/area-sequencer.ts";
import { SummaryReporter } from "./src/reporting/summary-reporter.ts";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./src/harness/global-setup.ts"],
    // One server, one database, timing checks: files run one after another, in AreaSequencer's order.
    fileParallelism: false,
    sequence: { sequencer: AreaSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", new SummaryReporter()],
  },
});

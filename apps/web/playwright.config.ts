import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Playwright loads this file again in every worker; the first load picks a fresh data directory
// and the workers inherit it through the environment, so all of them read the same outbox.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "tsbin-e2e-"));
process.env.E2E_BASE_URL = BASE_URL;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  // Generous: each test hashes passwords (argon2) several times, and a shared machine may be busy.
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    baseURL: BASE_URL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium; Playwright's own browser downloads are never used.
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
  },
  webServer: {
    // Built by the e2e script first (pnpm --filter @tsbin/api build && pnpm --filter @tsbin/web build).
    command: "node ../api/dist/index.js",
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      PUBLIC_URL: BASE_URL,
      DATA_DIR: process.env.E2E_DATA_DIR,
      // Empty selects the embedded PGlite in DATA_DIR; the shell's own DATABASE_URL must not leak in.
      DATABASE_URL: "",
      EMAIL_BACKEND: "file",
      LOG_LEVEL: "warn",
      // Every test signs up users of its own, all from 127.0.0.1: more than the 20 sign-ups an hour one
      // address gets. The limits themselves are tested by the API's and the security suite's tests.
      RATE_LIMIT_SCALE: "5",
    },
  },
});

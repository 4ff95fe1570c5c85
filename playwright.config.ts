import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium (scripts/debian-programs.mjs installs it); Playwright cannot download its own
// browser here. These flags keep it from reaching for the network it does not have.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-gpu",
  "--no-first-run",
];

const port = Number(process.env.E2E_PORT ?? 3210);
// A fresh embedded database for every run.
const dataDir = mkdtempSync(path.join(tmpdir(), "chatkeep-e2e-"));

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  // A test that fails and then passes is a failing test: no retries, and should anyone bring
  // them back, a flaky test still fails the run.
  retries: 0,
  failOnFlakyTests: true,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${port} -H 127.0.0.1`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      NODE_OPTIONS: "",
      DATA_DIR: dataDir,
      AUTH_SECRET: "chatkeep-e2e-secret-0123456789abcdefghijklmnopqrstuvwxyz",
      NEXT_TELEMETRY_DISABLED: "1",
      OFFLINE_MODEL_TOKEN_DELAY_MS: "30",
      OFFLINE_MODEL_REPLY_WORDS: "40",
      RATE_LIMIT_SENDS_PER_MINUTE: "1000",
      // Low enough for sign-in-limit.spec.ts to reach; no other spec comes near it.
      RATE_LIMIT_LOGINS_PER_MINUTE: "30",
      // Every spec registers its own people, all from 127.0.0.1.
      RATE_LIMIT_REGISTRATIONS_PER_HOUR: "500",
    },
  },
});

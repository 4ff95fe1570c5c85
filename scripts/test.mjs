// `npm test`: every suite, cheapest first. Vitest runs the unit tests and the repository suite on
// all three drivers (it starts its own Postgres). Ends with one plain `N passed, N failed` line
// summing every suite.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
mkdirSync("test-results", { recursive: true });

const suites = [
  {
    name: "vitest",
    args: [
      "node_modules/vitest/vitest.mjs",
      "run",
      "--reporter=default",
      "--reporter=json",
      "--outputFile.json=test-results/vitest.json",
    ],
    counts: () => {
      const report = JSON.parse(readFileSync("test-results/vitest.json", "utf8"));
      return { passed: report.numPassedTests, failed: report.numFailedTests };
    },
  },
];

let passed = 0;
let failed = 0;
let status = 0;
for (const suite of suites) {
  const result = spawnSync(process.execPath, suite.args, { stdio: "inherit", env });
  const counts = existsSync("test-results") ? safeCounts(suite) : null;
  passed += counts?.passed ?? 0;
  failed += counts?.failed ?? 0;
  if (result.status !== 0) {
    status = result.status ?? 1;
    if (!counts?.failed) failed += 1; // a suite that crashed counts as a failure
    break;
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(status);

function safeCounts(suite) {
  try {
    return suite.counts();
  } catch {
    return null;
  }
}

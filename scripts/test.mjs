// `npm test`: every suite, cheapest first, stopping at the first that fails:
//   1. Vitest unit + repository suites (the repository suite on PGlite, Postgres and the Neon
//      driver; it starts its own Postgres),
//   2. a production build,
//   3. Vitest integration suites against `next start` servers (and nginx, installed when missing),
//   4. Playwright end-to-end tests in Chromium (Debian's, installed when missing).
// Ends with one plain `N passed, N failed` line summing every suite.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { ensureChromium, ensureNginx } from "./debian-programs.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
mkdirSync("test-results", { recursive: true });

const vitest = (projects, report) => ({
  args: [
    "node_modules/vitest/vitest.mjs",
    "run",
    ...projects.flatMap((project) => ["--project", project]),
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ],
  counts: () => {
    const result = JSON.parse(readFileSync(report, "utf8"));
    return { passed: result.numPassedTests, failed: result.numFailedTests };
  },
});

const steps = [
  { name: "unit and repository tests", ...vitest(["unit", "db"], "test-results/vitest.json") },
  { name: "production build", args: ["node_modules/next/dist/bin/next", "build"] },
  {
    name: "integration tests",
    // The documented nginx configuration is tested in front of the app (Debian's nginx).
    before: () => {
      env.NGINX_PATH = ensureNginx();
    },
    ...vitest(["integration"], "test-results/vitest-integration.json"),
  },
  {
    name: "end-to-end tests",
    before: () => {
      env.CHROMIUM_PATH = ensureChromium();
      // Specs seed data through db/, whose modules import `server-only`.
      env.NODE_OPTIONS = "--conditions=react-server";
    },
    args: ["node_modules/@playwright/test/cli.js", "test"],
    counts: () => {
      const report = JSON.parse(readFileSync("test-results/e2e.json", "utf8"));
      // `flaky` means failed, then passed on a retry: that is a failure, not a pass.
      for (const title of flakyTitles(report.suites))
        console.error(`flaky (counted as failed): ${title}`);
      return {
        passed: report.stats.expected,
        failed: report.stats.unexpected + report.stats.flaky,
      };
    },
  },
];

let passed = 0;
let failed = 0;
let status = 0;
for (const step of steps) {
  console.log(`\n▶ ${step.name}`);
  step.before?.();
  const result = spawnSync(process.execPath, step.args, { stdio: "inherit", env });
  const counts = step.counts ? safely(step.counts) : null;
  passed += counts?.passed ?? 0;
  failed += counts?.failed ?? 0;
  // A step whose tool exits 0 but reports failures (a flaky test, say) still fails the run.
  if (result.status !== 0 || counts?.failed) {
    status = result.status || 1;
    if (!counts?.failed) failed += 1; // a step that crashed counts as a failure
    console.error(`\n✗ ${step.name} failed`);
    break;
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(status);

function safely(read) {
  try {
    return read();
  } catch {
    return null;
  }
}

// Titles of the tests Playwright's JSON report marks flaky, "file › describe › test".
function flakyTitles(suites, parents = []) {
  return (suites ?? []).flatMap((suite) => {
    const path = [...parents, suite.title];
    const own = suite.specs
      .filter((spec) => spec.tests.some((test) => test.status === "flaky"))
      .map((spec) => [...path, spec.title].join(" › "));
    return [...own, ...flakyTitles(suite.suites, path)];
  });
}

// Finds a Chromium for Playwright, installing Debian's when there is none: Playwright's own
// browser download is not available here. Prints the path; exits non-zero with the exact
// command to run when it cannot install it itself.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

export function findChromium() {
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const command = "apt-get update && apt-get install -y --no-install-recommends chromium";
  if (process.getuid?.() !== 0) {
    console.error(
      `No Chromium found for the end-to-end tests. Install it with:\n  sudo ${command}`,
    );
    process.exit(1);
  }
  console.log(`[e2e] installing Debian's Chromium: ${command}`);
  const result = spawnSync("sh", ["-c", command], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const installed = findChromium();
  if (result.status !== 0 || !installed) {
    console.error(`Installing Chromium failed. Run it yourself:\n  ${command}`);
    process.exit(1);
  }
  return installed;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureChromium());

// Finds the programs the tests drive that come from Debian's packages, installing them when
// they are missing: Chromium for Playwright (its own browser download is not available here)
// and nginx for the test of the documented proxy configuration. Each returns the program's
// path, or exits non-zero with the exact command to run when it cannot install it itself.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const programs = {
  chromium: {
    env: "CHROMIUM_PATH",
    candidates: ["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    package: "chromium",
  },
  nginx: {
    env: "NGINX_PATH",
    candidates: ["/usr/sbin/nginx", "/usr/bin/nginx"],
    package: "nginx-light",
  },
};

function find(program) {
  return [process.env[program.env], ...program.candidates].find(
    (candidate) => candidate && existsSync(candidate),
  );
}

function ensure(name) {
  const program = programs[name];
  const found = find(program);
  if (found) return found;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${program.package}`;
  if (process.getuid?.() !== 0) {
    console.error(`The tests need ${name} and found none. Install it with:\n  sudo ${command}`);
    process.exit(1);
  }
  console.log(`[test] installing Debian's ${name}: ${command}`);
  const result = spawnSync("sh", ["-c", command], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const installed = find(program);
  if (result.status !== 0 || !installed) {
    console.error(`Installing ${name} failed. Run it yourself:\n  ${command}`);
    process.exit(1);
  }
  return installed;
}

export const findChromium = () => find(programs.chromium);
export const ensureChromium = () => ensure("chromium");
export const ensureNginx = () => ensure("nginx");

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const name of process.argv.slice(2)) console.log(ensure(name));
}

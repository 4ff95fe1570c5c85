// `npm test`: every test suite, in order of cost. Vitest runs the unit tests and the repository
// suite on all three drivers (it starts its own Postgres).
import { spawnSync } from "node:child_process";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const steps = [["node_modules/vitest/vitest.mjs", "run"]];

for (const args of steps) {
  const result = spawnSync(process.execPath, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

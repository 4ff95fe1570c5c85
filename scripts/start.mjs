// `npm start`: build once if there is no build yet, then serve. The embedded database creates
// and migrates itself when the server boots (instrumentation.ts).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const next = ["node_modules/next/dist/bin/next"];

if (!existsSync(".next/BUILD_ID")) {
  console.log("[chatkeep] no build found: building first (once)…");
  const build = spawnSync(process.execPath, [...next, "build"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const start = spawnSync(process.execPath, [...next, "start", ...process.argv.slice(2)], {
  stdio: "inherit",
  env,
});
process.exit(start.status ?? 1);

// `npm start`: build once if there is no build yet, then serve through Next.js's programmatic
// API (scripts/serve/worker.mjs). On a server database (DATABASE_URL), one worker per core
// shares the port (scripts/serve/primary.mjs; WEB_CONCURRENCY overrides the count); on the
// embedded database, one process, since only one may open it. The embedded database creates and
// migrates itself when the server boots (instrumentation.ts). Plain JavaScript: the production
// image runs it with `node`.
import { spawnSync } from "node:child_process";
import cluster from "node:cluster";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { parseServeArgs } from "./serve/args.mjs";
import { availableCores } from "./serve/cores.mjs";
import { prefixConsole } from "./serve/log-prefix.mjs";
import { planServing } from "./serve/plan.mjs";
import { runPrimary } from "./serve/primary.mjs";
import { serveNext } from "./serve/worker.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
// What `next start` defaults to; set before Next.js loads.
process.env.NODE_ENV ??= "production";

function cannotStart(error) {
  console.error(`[chatkeep] cannot start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

function readIfPresent(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

let options;
try {
  options = parseServeArgs(process.argv.slice(2), process.env);
} catch (error) {
  cannotStart(error);
}

if (cluster.isWorker) {
  const worker = Number(process.env.CHATKEEP_WORKER);
  prefixConsole(`[worker ${worker}]`);
  await serveNext({ ...options, worker });
} else {
  let plan;
  try {
    const cores = availableCores({
      parallelism: os.availableParallelism(),
      readFile: readIfPresent,
    });
    plan = planServing({ env: process.env, cores });
  } catch (error) {
    cannotStart(error);
  }
  if (!existsSync(".next/BUILD_ID")) {
    console.log("[chatkeep] no build found: building first (once)…");
    const next = "node_modules/next/dist/bin/next";
    const build = spawnSync(process.execPath, [next, "build"], { stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  if (plan.mode === "cluster") runPrimary({ workers: plan.workers });
  else {
    console.log(`[chatkeep] ${plan.notice}`);
    await serveNext(options);
  }
}

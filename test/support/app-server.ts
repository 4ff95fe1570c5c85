import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./postgres";

export const TEST_AUTH_SECRET = "chatkeep-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

export interface AppServer {
  url: string;
  port: number;
  /** The server's process id: `next start`'s, or the cluster's primary (which serves nothing). */
  pid: number;
  /** The processes that serve requests: `[pid]` for `next start`, else the live workers. */
  workerPids(): number[];
  env: Record<string, string>;
  /** Everything the server printed, for failure messages. */
  output(): string;
  /** Kills the process with `signal` and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface AppServerOptions {
  /** Extra environment: DATABASE_URL, model settings... */
  env?: Record<string, string>;
  /** Reuse a data folder (the embedded database survives a restart). */
  dataDir?: string;
  port?: number;
  /** Flags for node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
  /** Wait until /api/health answers 200 (default), or only until the server answers at all. */
  waitFor?: "healthy" | "listening";
  /**
   * Serve through `npm start`'s cluster (`node scripts/start.mjs`) with this many workers
   * (WEB_CONCURRENCY) instead of `next start`; readiness then also waits for every worker.
   */
  workers?: number;
}

/**
 * Starts the production build (`next start`, or `npm start`'s cluster) as a child process and
 * waits until it answers its readiness route. Each server gets its own data folder unless one is
 * given.
 */
export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "chatkeep-app-"));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    AUTH_SECRET: TEST_AUTH_SECRET,
    NEXT_TELEMETRY_DISABLED: "1",
    OFFLINE_MODEL_TOKEN_DELAY_MS: "0",
    ...(options.workers === undefined ? {} : { WEB_CONCURRENCY: String(options.workers) }),
    ...options.env,
  };
  const entry =
    options.workers === undefined ? ["node_modules/next/dist/bin/next", "start"] : [START_SCRIPT];
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...entry, "-p", String(port), "-H", "127.0.0.1"],
    // NODE_OPTIONS of a test runner (e.g. the react-server condition) must not reach Next.js.
    { env: { ...process.env, NODE_OPTIONS: "", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? 0;
  // On PGlite `npm start` serves from its one process (scripts/serve/plan.mjs).
  const alone = () => options.workers === undefined || output.includes(SERVING_ALONE);
  const workerPids = () => (alone() ? [pid] : liveWorkers(output));
  await waitUntilReady(url, child, () => output, options.waitFor ?? "healthy");
  if (options.workers !== undefined) {
    await waitForWorkers(options.workers, child, () => output, alone);
  }
  return {
    url,
    port,
    pid,
    workerPids,
    env: { ...env },
    output: () => output,
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

const START_SCRIPT = "scripts/start.mjs";
const SERVING_ALONE = "[chatkeep] serving from one process";

/** The workers the primary started and has not seen exit, from its log (scripts/serve/primary.mjs). */
function liveWorkers(output: string): number[] {
  const live = new Set<number>();
  const events = /\[primary\] worker \d+ (?:started \(pid (\d+)\)|\(pid (\d+)\) exited)/g;
  for (const [, started, exited] of output.matchAll(events)) {
    if (started) live.add(Number(started));
    else live.delete(Number(exited));
  }
  return [...live];
}

async function waitForWorkers(
  workers: number,
  child: ChildProcess,
  output: () => string,
  alone: () => boolean,
) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !alone()) {
    if (child.exitCode !== null) throw new Error(`app server exited early:\n${output()}`);
    const ready = new Set(output().match(/\[worker \d+\] \[chatkeep\] ready on/g) ?? []);
    if (ready.size >= workers) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (alone()) return;
  child.kill("SIGKILL");
  throw new Error(`not every worker became ready:\n${output()}`);
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  output: () => string,
  waitFor: "healthy" | "listening",
) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app server exited early:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok || waitFor === "listening") return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`app server did not become ready:\n${output()}`);
}

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./postgres";

export const TEST_AUTH_SECRET = "chatkeep-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

export interface AppServer {
  url: string;
  port: number;
  /** The server's process id (`next start` serves from this one process). */
  pid: number;
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
}

/**
 * Starts the production build (`next start`) as a child process and waits until it answers its
 * readiness route. Each server gets its own data folder unless one is given.
 */
export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "chatkeep-app-"));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    AUTH_SECRET: TEST_AUTH_SECRET,
    NEXT_TELEMETRY_DISABLED: "1",
    OFFLINE_MODEL_TOKEN_DELAY_MS: "0",
    ...options.env,
  };
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      "node_modules/next/dist/bin/next",
      "start",
      "-p",
      String(port),
      "-H",
      "127.0.0.1",
    ],
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
  await waitUntilReady(url, child, () => output, options.waitFor ?? "healthy");
  return {
    url,
    port,
    pid: child.pid ?? 0,
    env: { ...env },
    output: () => output,
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
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

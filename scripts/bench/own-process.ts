// Starts a bench entry (`node --import tsx <file>`) as its own process, so its CPU is metered
// apart from the app server's and the load generator's. The entry prints its URL as its first
// line of output and stops on SIGTERM.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface OwnProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startOwnProcess(
  entry: string,
  env: Record<string, string>,
): Promise<OwnProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { ...process.env, NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${entry} exited (${code}) before its URL`)));
  });
  lines.on("line", (line) => console.error(`[${entry}] ${line}`));
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

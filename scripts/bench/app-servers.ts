// The app servers of the load bench: a migrated scratch database, limits out of the way, the
// model settings of each run, and the one place that knows how a server with n workers starts.
import { openDatabase } from "@/db";
import { startAppServer } from "@/test/support/app-server";
import { createScratchDatabase } from "@/test/support/postgres";
import type { BenchModel } from "./load-table";

// Every limit out of the way: the bench measures the app, not its abuse limits.
export const unlimited = {
  RATE_LIMIT_SENDS_PER_MINUTE: "1000000",
  RATE_LIMIT_LOGINS_PER_MINUTE: "1000000",
  RATE_LIMIT_REGISTRATIONS_PER_HOUR: "1000000",
  MAX_FOLLOWERS_PER_USER: "1000",
};

// BENCH_CPU_PROFILE=<folder>: the turns and the concurrent-replies servers write a V8 CPU
// profile there when they stop (summarise it with scripts/profile-summary.ts).
const cpuProfileFolder = process.env.BENCH_CPU_PROFILE;
export const profileArgs = cpuProfileFolder
  ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileFolder}`]
  : [];

export async function migrated(adminUrl: string): Promise<string> {
  const url = await createScratchDatabase(adminUrl, "load");
  const handle = await openDatabase({ url, driver: "pg" });
  await handle.migrate();
  await handle.close();
  return url;
}

/** What a reply is: the same words at the same pace from either model. */
export interface ReplyShape {
  words: number;
  wordDelayMs: number;
}

/**
 * The app's model settings: the model server over HTTP (`ai/model-env.ts`), or the offline model
 * with the same shape. Both are set for the remote run, so only the AI_* variables differ.
 */
export function modelEnv(
  model: BenchModel,
  shape: ReplyShape,
  modelServerUrl: string,
): Record<string, string> {
  const offline = {
    OFFLINE_MODEL_REPLY_WORDS: String(shape.words),
    OFFLINE_MODEL_TOKEN_DELAY_MS: String(shape.wordDelayMs),
  };
  if (model === "offline") return offline;
  // Two endpoints on the same model server: turns on the default (`bench/bench`) and on a model
  // a person chose (`CHOSEN_MODEL`) reach the same model, so their costs compare.
  const endpoint = (id: string) => ({
    id,
    baseURL: modelServerUrl,
    apiKey: "bench",
    models: [CHOSEN_MODEL.modelId],
  });
  return {
    ...offline,
    AI_ENDPOINTS: JSON.stringify([endpoint("bench"), endpoint(CHOSEN_MODEL.endpointId)]),
  };
}

/** The remote run's second endpoint's model: a person's choice, not the deployment's default. */
export const CHOSEN_MODEL = { endpointId: "bench-chosen", modelId: "bench" };

export interface BenchServer {
  url: string;
  /** The processes serving, whose CPU is the server's. */
  pids(): number[];
  kill(): Promise<void>;
}

/**
 * An app server as `npm start` runs it on Postgres: `scripts/start.mjs` under WEB_CONCURRENCY,
 * a primary handing connections to `workers` worker processes. Its CPU is theirs and the
 * primary's (which accepts every connection).
 */
export async function startServer(workers: number, env: Record<string, string>) {
  const server = await startAppServer({ workers, env, nodeArgs: profileArgs });
  return {
    url: server.url,
    pids: () => [server.pid, ...server.workerPids()],
    kill: () => server.kill(),
  };
}

// `npm run bench` (load part; alone: `npm run bench:load`): the app under the load users make,
// over HTTP, against production servers on Postgres, with people registered and signed in over
// HTTP. Prints one table; asserts nothing. Each figure comes with the baseline it is judged
// against, measured in the same run on the same machine.
//
// Sections (BENCH_SECTIONS=turns,replies,followers,memory,import to pick some):
//   turns      sustained turns/s for 16 and 64 people (30 words, no delay); POST time to first
//              byte and whole turn p50/p99; CPU per turn by process; errors. Baselines: the same
//              people's list reads and history reads on the same server. On the remote model,
//              also turns naming a model the person chose (a second endpoint on the same model
//              server), against turns on the default.
//   replies    BENCH_REPLIES concurrent replies at 20 ms per word: completion p50/p99 as a
//              multiple of the model's own time and of a bare Node relay's.
//   followers  1, 10, 100 browsers following one reply: database transactions/s.
//   memory     server RSS before, after 1,000 and 10,000 turns, and after a full GC.
//   import     a 200 MB padded ChatGPT file: server RSS growth and CPU (scripts/bench/import-memory.ts).
// Turns and replies run against a model server over HTTP (scripts/bench/model-server.ts, its
// own process) and against the offline model, with each worker count of BENCH_WORKERS.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { startTestPostgres } from "@/test/support/postgres";
import { migrated, modelEnv, type ReplyShape, startServer, unlimited } from "./bench/app-servers";
import { followersSection } from "./bench/followers";
import { seedHistories } from "./bench/history";
import { importMemorySection } from "./bench/import-memory";
import { forgetShownModels, people } from "./bench/load-client";
import { type BenchModel, log, printTable, type Row } from "./bench/load-table";
import { memorySection } from "./bench/memory";
import type { ModelRun } from "./bench/model-run";
import { type OwnProcess, startOwnProcess } from "./bench/own-process";
import { bareRelaySection, type Completion, repliesSection } from "./bench/replies";
import { turnsSection } from "./bench/turns";

const replyCounts = (process.env.BENCH_REPLIES ?? "50,200,500").split(",").map(Number);
const sections = new Set(
  (process.env.BENCH_SECTIONS ?? "turns,replies,followers,memory,import").split(","),
);
const TURN_SECONDS = Number(process.env.BENCH_TURN_SECONDS ?? 15);
const workerCounts = (process.env.BENCH_WORKERS ?? "1,2").split(",").map(Number);
const MODELS: BenchModel[] = ["remote", "offline"];
const TURN_SHAPE: ReplyShape = { words: 30, wordDelayMs: 0 };
const REPLY_SHAPE: ReplyShape = { words: 60, wordDelayMs: 20 };

function startModelServer(shape: ReplyShape): Promise<OwnProcess> {
  return startOwnProcess("scripts/bench/model-server.ts", {
    MODEL_SERVER_WORDS: String(shape.words),
    MODEL_SERVER_WORD_DELAY_MS: String(shape.wordDelayMs),
  });
}

/**
 * Runs `body` once for each worker count and model, each on its own server over the same
 * database, with the same signed-in people pointed at it.
 */
async function eachRun(
  databaseUrl: string,
  shape: ReplyShape,
  modelServer: OwnProcess,
  clients: { baseUrl: string }[],
  body: (run: ModelRun) => Promise<Row[]>,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const workers of workerCounts) {
    for (const model of MODELS) {
      const server = await startServer(workers, {
        DATABASE_URL: databaseUrl,
        ...unlimited,
        ...modelEnv(model, shape, modelServer.url),
      });
      for (const client of clients) client.baseUrl = server.url;
      forgetShownModels();
      const modelPid = model === "remote" ? modelServer.pid : undefined;
      try {
        rows.push(...(await body({ model, workers, server, modelPid, databaseUrl })));
      } finally {
        await server.kill();
      }
    }
  }
  return rows;
}

async function chatSections(adminUrl: string): Promise<Row[]> {
  const databaseUrl = await migrated(adminUrl);
  // With the most workers asked for: a count the servers cannot start fails here, not minutes in.
  const signUp = await startServer(Math.max(...workerCounts), {
    DATABASE_URL: databaseUrl,
    ...unlimited,
  });
  log("signing up 64 people over HTTP…");
  const clients = await people(signUp.url, 64).finally(() => signUp.kill());
  const rows: Row[] = [];
  if (sections.has("turns")) {
    log("turns: a conversation of history for each person…");
    const histories = await seedHistories(
      databaseUrl,
      clients.map((client) => client.email),
    );
    const modelServer = await startModelServer(TURN_SHAPE);
    try {
      rows.push(
        ...(await eachRun(databaseUrl, TURN_SHAPE, modelServer, clients, (run) =>
          turnsSection(run, clients, histories, TURN_SECONDS, TURN_SHAPE.words),
        )),
      );
    } finally {
      await modelServer.stop();
    }
  }
  if (sections.has("replies")) {
    const modelServer = await startModelServer(REPLY_SHAPE);
    const shape = {
      words: REPLY_SHAPE.words,
      modelMs: REPLY_SHAPE.words * REPLY_SHAPE.wordDelayMs,
    };
    try {
      let bare = new Map<number, Completion>();
      const relay = await startOwnProcess("scripts/bench/bare-relay.ts", {
        BARE_RELAY_MODEL_URL: modelServer.url,
      });
      try {
        const measured = await bareRelaySection(
          relay,
          modelServer.pid,
          databaseUrl,
          replyCounts,
          shape.modelMs,
        );
        rows.push(...measured.rows);
        bare = measured.completions;
      } finally {
        await relay.stop();
      }
      rows.push(
        ...(await eachRun(databaseUrl, REPLY_SHAPE, modelServer, clients, (run) =>
          repliesSection(run, clients, replyCounts, shape, bare),
        )),
      );
    } finally {
      await modelServer.stop();
    }
  }
  return rows;
}

function ensureBuild() {
  if (existsSync(".next/BUILD_ID")) return;
  log("no production build: building first…");
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_OPTIONS: "" },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

ensureBuild();
const table: Row[] = [];
const postgres = await startTestPostgres();
try {
  if (sections.has("turns") || sections.has("replies"))
    table.push(...(await chatSections(postgres.url)));
  if (sections.has("followers")) table.push(...(await followersSection(postgres.url)));
  if (sections.has("memory")) table.push(...(await memorySection(postgres.url)));
  if (sections.has("import"))
    table.push(...(await importMemorySection(await migrated(postgres.url))));
} finally {
  await postgres.stop();
}

printTable(table, process.env.BENCH_JSON);

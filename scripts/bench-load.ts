// `npm run bench` (load part; alone: `npm run bench:load`): the app under the load users make,
// over HTTP, against `next start` on Postgres, with people registered and signed in over HTTP.
// Prints one table; asserts nothing. Each figure comes with the baseline it is judged against,
// measured in the same run on the same machine.
//
// Sections (BENCH_SECTIONS=turns,replies,followers,memory,import to pick some):
//   turns      sustained turns/s for 16 and 64 users; POST time to first byte and whole turn
//              p50/p99; errors. Baseline: authenticated reads/s of the same server.
//   replies    50, 200, 500 concurrent replies at 20 ms per word: completion p50/p99 as a
//              multiple of the model's own time.
//   followers  1, 10, 100 browsers following one reply: database transactions/s.
//   memory     server RSS before, after 1,000 and 10,000 turns, and after a full GC.
//   import     a 200 MB padded ChatGPT file: server RSS growth and CPU (scripts/bench/import-memory.ts).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import pg from "pg";
import WebSocket from "ws";
import { openDatabase } from "@/db";
import { type ApiClient, readReply, signedInClient } from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { createScratchDatabase, freePort, startTestPostgres } from "@/test/support/postgres";
import { cpuMeter, perOperation } from "./bench/cpu";
import { importMemorySection } from "./bench/import-memory";

const replyCounts = (process.env.BENCH_REPLIES ?? "50,200,500").split(",").map(Number);
const sections = new Set(
  (process.env.BENCH_SECTIONS ?? "turns,replies,followers,memory,import").split(","),
);
const TURN_SECONDS = Number(process.env.BENCH_TURN_SECONDS ?? 15);
const MEMORY_TURNS = Number(process.env.BENCH_MEMORY_TURNS ?? 10_000);
const REPLY_WORDS = 60;
const WORD_MS = 20;

type Row = { section: string; measure: string; value: string; baseline: string; ratio: string };
const table: Row[] = [];
const log = (message: string) => console.error(`[bench:load] ${message}`);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const sleep = (duration: number) => new Promise((resolve) => setTimeout(resolve, duration));

// BENCH_CPU_PROFILE=<folder>: the turns and the concurrent-replies servers write a V8 CPU
// profile there when they stop (summarise it with scripts/profile-summary.ts).
const cpuProfileFolder = process.env.BENCH_CPU_PROFILE;
const profileArgs = cpuProfileFolder ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileFolder}`] : [];

// Every limit out of the way: the bench measures the app, not its abuse limits.
const unlimited = {
  RATE_LIMIT_SENDS_PER_MINUTE: "1000000",
  RATE_LIMIT_LOGINS_PER_MINUTE: "1000000",
  RATE_LIMIT_REGISTRATIONS_PER_HOUR: "1000000",
  MAX_FOLLOWERS_PER_USER: "1000",
};

async function migrated(adminUrl: string): Promise<string> {
  const url = await createScratchDatabase(adminUrl, "load");
  const handle = await openDatabase({ url, driver: "pg" });
  await handle.migrate();
  await handle.close();
  return url;
}

async function people(server: AppServer, count: number): Promise<ApiClient[]> {
  const clients: ApiClient[] = [];
  // A few at a time: registration and sign-in hash passwords (Argon2), on purpose slowly.
  for (let start = 0; start < count; start += 8) {
    const batch = Math.min(8, count - start);
    clients.push(
      ...(await Promise.all(Array.from({ length: batch }, () => signedInClient(server.url)))),
    );
  }
  return clients;
}

interface TurnResult {
  ok: boolean;
  /** Why a turn failed: its HTTP status, how its reply ended, or "network". */
  failure?: string;
  ttfb: number;
  total: number;
}

/** One message and its whole reply; the time to the response's headers and to `finish`. */
async function turn(
  client: ApiClient,
  conversationId: string,
  content: string,
): Promise<TurnResult> {
  const began = performance.now();
  try {
    const response = await client.send(conversationId, content);
    const ttfb = performance.now() - began;
    if (response.status !== 200) {
      await response.body?.cancel();
      return {
        ok: false,
        failure: String(response.status),
        ttfb,
        total: performance.now() - began,
      };
    }
    const read = await readReply(response);
    const ok = read.finish?.status === "complete";
    const failure = ok ? undefined : `reply ${read.finish?.status ?? "cut off"}`;
    return { ok, failure, ttfb, total: performance.now() - began };
  } catch {
    return { ok: false, failure: "network", ttfb: Number.NaN, total: performance.now() - began };
  }
}

/** Each client runs `step` back to back until `seconds` have passed; returns every result. */
async function sustain<T>(
  clients: ApiClient[],
  seconds: number,
  step: (client: ApiClient, index: number, round: number) => Promise<T>,
): Promise<{ results: T[]; elapsed: number }> {
  const results: T[] = [];
  const began = performance.now();
  const deadline = began + seconds * 1000;
  await Promise.all(
    clients.map(async (client, index) => {
      for (let round = 0; performance.now() < deadline; round++) {
        results.push(await step(client, index, round));
      }
    }),
  );
  return { results, elapsed: (performance.now() - began) / 1000 };
}

async function authenticatedRead(client: ApiClient): Promise<boolean> {
  const response = await client.fetch("/api/conversations?limit=1");
  await response.arrayBuffer();
  return response.status === 200;
}

async function turnsSection(server: AppServer, clients: ApiClient[]) {
  // Both kinds of request once from every user first, so neither phase pays for the server's
  // first compilation of its routes.
  log("turns: warming up…");
  await Promise.all(clients.map((client) => turn(client, crypto.randomUUID(), "Warm-up")));
  await Promise.all(clients.map(authenticatedRead));
  for (const users of [16, 64]) {
    const group = clients.slice(0, users);
    log(`turns: ${users} users for ${TURN_SECONDS} s…`);
    const conversations = group.map(() => crypto.randomUUID());
    const turnCpu = cpuMeter(server.pid);
    const turns = await sustain(group, TURN_SECONDS, (client, index, round) =>
      turn(client, conversations[index] ?? "", `Turn ${round} of user ${index}`),
    );
    const turnSplit = turnCpu();
    log(`reads: ${users} users for ${TURN_SECONDS} s…`);
    const readCpu = cpuMeter(server.pid);
    const reads = await sustain(group, TURN_SECONDS, authenticatedRead);
    const readSplit = readCpu();
    const turnRate = turns.results.length / turns.elapsed;
    const readRate = reads.results.length / reads.elapsed;
    const errors = turns.results.filter((result) => !result.ok).length;
    const readErrors = reads.results.filter((ok) => !ok).length;
    const ttfb = turns.results.map((result) => result.ttfb).filter(Number.isFinite);
    const total = turns.results.map((result) => result.total);
    table.push(
      {
        section: `turns, ${users} users`,
        measure: "turns/s (offline model, no delay, 30 words)",
        value: turnRate.toFixed(1),
        baseline: `${readRate.toFixed(1)} authenticated reads/s`,
        ratio: `${((turnRate / readRate) * 100).toFixed(0)}%`,
      },
      {
        section: `turns, ${users} users`,
        measure: "POST time to first byte p50 / p99",
        value: `${ms(percentile(ttfb, 50))} / ${ms(percentile(ttfb, 99))}`,
        baseline: "",
        ratio: "",
      },
      {
        section: `turns, ${users} users`,
        measure: "whole turn p50 / p99",
        value: `${ms(percentile(total, 50))} / ${ms(percentile(total, 99))}`,
        baseline: "",
        ratio: "",
      },
      {
        section: `turns, ${users} users`,
        measure: "CPU per turn",
        value: perOperation(turnSplit, turns.results.length),
        baseline: `per read: ${perOperation(readSplit, reads.results.length)}`,
        ratio: "",
      },
      {
        section: `turns, ${users} users`,
        measure: "errors (turns / reads)",
        value: `${errors} / ${readErrors}`,
        baseline: `of ${turns.results.length} / ${reads.results.length}`,
        ratio: "",
      },
    );
  }
}

/** " (503 ×3, network ×1)": what the failed turns met, for the table. */
function describeFailures(results: TurnResult[]): string {
  const counts = new Map<string, number>();
  for (const { failure } of results)
    if (failure) counts.set(failure, (counts.get(failure) ?? 0) + 1);
  if (counts.size === 0) return "";
  return ` (${[...counts].map(([failure, count]) => `${failure} ×${count}`).join(", ")})`;
}

async function repliesSection(server: AppServer, clients: ApiClient[]) {
  const modelMs = REPLY_WORDS * WORD_MS;
  // A fresh server loads and compiles its routes on first use: warm it up first, so the figures
  // are the steady state people meet, not a cold start.
  log("replies: warming up…");
  await Promise.all(
    clients.slice(0, 20).map((client) => turn(client, crypto.randomUUID(), "Warm-up")),
  );
  for (const concurrent of replyCounts) {
    log(`replies: ${concurrent} at once…`);
    const cpu = cpuMeter(server.pid);
    const results = await Promise.all(
      Array.from({ length: concurrent }, (_, i) => {
        const client = clients[i % clients.length] as ApiClient;
        return turn(client, crypto.randomUUID(), `Reply number ${i}`);
      }),
    );
    const cpuSplit = cpu();
    const times = results.map((result) => result.total);
    const ttfb = results.map((result) => result.ttfb).filter(Number.isFinite);
    const errors = results.filter((result) => !result.ok).length;
    const p50 = percentile(times, 50);
    const failures = describeFailures(results);
    const p99 = percentile(times, 99);
    table.push({
      section: `${concurrent} concurrent replies`,
      measure: "POST time to first byte p50 / p99",
      value: `${ms(percentile(ttfb, 50))} / ${ms(percentile(ttfb, 99))}`,
      baseline: "",
      ratio: "",
    });
    // After the response started: how much the replies slow each other once streaming, apart
    // from the queue of 200 requests arriving in the same instant.
    const streaming = results
      .filter((result) => Number.isFinite(result.ttfb))
      .map((result) => result.total - result.ttfb);
    table.push({
      section: `${concurrent} concurrent replies`,
      measure: "from first byte to completion p50 / p99",
      value: `${ms(percentile(streaming, 50))} / ${ms(percentile(streaming, 99))}`,
      baseline: `${ms(modelMs)} model alone`,
      ratio: `${(percentile(streaming, 50) / modelMs).toFixed(2)}x / ${(percentile(streaming, 99) / modelMs).toFixed(2)}x`,
    });
    table.push({
      section: `${concurrent} concurrent replies`,
      measure: "CPU per reply",
      value: perOperation(cpuSplit, concurrent),
      baseline: "",
      ratio: "",
    });
    table.push({
      section: `${concurrent} concurrent replies`,
      measure: `completion p50 / p99 (${REPLY_WORDS} words at ${WORD_MS} ms)`,
      value: `${ms(p50)} / ${ms(p99)}`,
      baseline: `${ms(modelMs)} model alone`,
      ratio: `${(p50 / modelMs).toFixed(2)}x / ${(p99 / modelMs).toFixed(2)}x; errors ${errors}${failures}`,
    });
    await sleep(1000);
  }
}

async function transactions(admin: pg.Client, database: string): Promise<number> {
  const result = await admin.query<{ n: string }>(
    "select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = $1",
    [database],
  );
  return Number(result.rows[0]?.n ?? 0);
}

async function followersSection(adminUrl: string) {
  const url = await migrated(adminUrl);
  const database = new URL(url).pathname.slice(1);
  // Replies long enough to hold followers for the whole window: 150 words at 60 ms.
  const server = await startAppServer({
    env: {
      DATABASE_URL: url,
      ...unlimited,
      OFFLINE_MODEL_TOKEN_DELAY_MS: "60",
      OFFLINE_MODEL_REPLY_WORDS: "150",
    },
  });
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const [client] = await people(server, 1);
    if (!client) throw new Error("no client");
    const perFollowers = new Map<number, number>();
    for (const followers of [0, 1, 10, 100]) {
      log(`followers: ${followers}…`);
      const conversationId = crypto.randomUUID();
      const sent = await client.send(conversationId, "A long answer, please");
      const generating = readReply(sent);
      await sleep(500);
      const streams = await Promise.all(
        Array.from({ length: followers }, () =>
          client.fetch(`/api/conversations/${conversationId}/stream`),
        ),
      );
      const reading = streams.map((response) => readReply(response));
      await sleep(1000);
      // pg_stat_database is updated when a backend reports, at most every second or so: a
      // window of several seconds keeps that granularity small.
      const before = await transactions(admin, database);
      const window = 5000;
      await sleep(window);
      const after = await transactions(admin, database);
      perFollowers.set(followers, ((after - before) * 1000) / window);
      await client.json(`/api/conversations/${conversationId}/stop`, "POST");
      await Promise.all([generating, ...reading]);
      await sleep(1000);
    }
    const generatingOnly = perFollowers.get(0) ?? Number.NaN;
    const one = perFollowers.get(1) ?? Number.NaN;
    for (const followers of [1, 10, 100]) {
      const rate = perFollowers.get(followers) ?? Number.NaN;
      table.push({
        section: "followers of one reply",
        measure: `${followers} follower${followers > 1 ? "s" : ""}: database transactions/s`,
        value: rate.toFixed(1),
        baseline: `${one.toFixed(1)} with 1 follower (${generatingOnly.toFixed(1)} with none)`,
        ratio: `${(rate / one).toFixed(2)}x`,
      });
    }
  } finally {
    await admin.end();
    await server.kill();
  }
}

const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(0)}`;

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

/** Asks the server's V8 for a full garbage collection through its inspector. */
async function collectGarbage(inspectorPort: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const target = targets[0]?.webSocketDebuggerUrl;
  if (!target) throw new Error("no inspector target");
  const socket = new WebSocket(target);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  await new Promise<void>((resolve) => {
    socket.on("message", (data) => {
      if (JSON.parse(String(data)).id === 1) resolve();
    });
    socket.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" }));
  });
  socket.close();
}

async function memorySection(adminUrl: string) {
  const inspectorPort = await freePort();
  const server = await startAppServer({
    env: {
      DATABASE_URL: await migrated(adminUrl),
      ...unlimited,
      OFFLINE_MODEL_TOKEN_DELAY_MS: "0",
      OFFLINE_MODEL_REPLY_WORDS: "30",
      NODE_OPTIONS: `--inspect=127.0.0.1:${inspectorPort}`,
    },
  });
  try {
    const clients = await people(server, 16);
    let sent = 0;
    // Each person keeps to a few conversations, as people do.
    const conversations = clients.map(() => Array.from({ length: 5 }, () => crypto.randomUUID()));
    const runTurns = async (until: number) => {
      await Promise.all(
        clients.map(async (client, index) => {
          while (sent < until) {
            sent++;
            const own = conversations[index] ?? [];
            await turn(client, own[sent % own.length] ?? "", `Memory turn ${sent}`);
          }
        }),
      );
    };
    log("memory: warm-up…");
    await runTurns(200);
    await collectGarbage(inspectorPort);
    const before = rssMiB(server.pid);
    log("memory: 1,000 turns…");
    await runTurns(1200);
    const afterThousand = rssMiB(server.pid);
    // Also after a collection: RSS between collections depends on when V8 last ran one, so
    // what stays held is read after a full GC at both points.
    await collectGarbage(inspectorPort);
    await sleep(1000);
    const afterThousandGc = rssMiB(server.pid);
    log(`memory: ${MEMORY_TURNS} turns…`);
    await runTurns(200 + MEMORY_TURNS);
    const afterAll = rssMiB(server.pid);
    await collectGarbage(inspectorPort);
    await sleep(1000);
    const afterGc = rssMiB(server.pid);
    table.push(
      {
        section: "server memory (RSS)",
        measure: `after 1,000 / ${MEMORY_TURNS} turns`,
        value: `${afterThousand.toFixed(0)} / ${afterAll.toFixed(0)} MiB`,
        baseline: `${before.toFixed(0)} MiB after warm-up and GC`,
        ratio: `+${(afterAll - afterThousand).toFixed(0)} MiB from 1,000 to ${MEMORY_TURNS}`,
      },
      {
        section: "server memory (RSS)",
        measure: `after 1,000 / ${MEMORY_TURNS} turns, each after a full GC`,
        value: `${afterThousandGc.toFixed(0)} / ${afterGc.toFixed(0)} MiB`,
        baseline: `${before.toFixed(0)} MiB after warm-up and GC`,
        ratio: `${signed(afterGc - afterThousandGc)} MiB from 1,000 to ${MEMORY_TURNS}; ${signed(afterGc - before)} MiB over the start`,
      },
    );
  } finally {
    await server.kill();
  }
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
const postgres = await startTestPostgres();
try {
  if (sections.has("turns") || sections.has("replies")) {
    const modelEnv: Record<string, string> = sections.has("turns")
      ? { OFFLINE_MODEL_TOKEN_DELAY_MS: "0", OFFLINE_MODEL_REPLY_WORDS: "30" }
      : {};
    let server = await startAppServer({
      env: { DATABASE_URL: await migrated(postgres.url), ...unlimited, ...modelEnv },
      nodeArgs: profileArgs,
    });
    try {
      log("signing up 64 people over HTTP…");
      const clients = await people(server, 64);
      if (sections.has("turns")) await turnsSection(server, clients);
      if (sections.has("replies")) {
        // The same database (the people stay signed in), a server whose model takes its time.
        const { DATABASE_URL } = server.env;
        await server.kill();
        server = await startAppServer({
          env: {
            DATABASE_URL: DATABASE_URL ?? "",
            ...unlimited,
            OFFLINE_MODEL_TOKEN_DELAY_MS: String(WORD_MS),
            OFFLINE_MODEL_REPLY_WORDS: String(REPLY_WORDS),
          },
          nodeArgs: profileArgs,
        });
        for (const client of clients) client.baseUrl = server.url;
        await repliesSection(server, clients);
      }
    } finally {
      await server.kill();
    }
  }
  if (sections.has("followers")) await followersSection(postgres.url);
  if (sections.has("memory")) await memorySection(postgres.url);
  if (sections.has("import"))
    table.push(...(await importMemorySection(await migrated(postgres.url))));
} finally {
  await postgres.stop();
}

console.table(table);

// `npm run bench`: persistence figures, each as a ratio against a baseline measured in the same
// run on the same driver. Not a test: it prints a table and asserts nothing.
//
// The baselines are written as raw SQL here on purpose: they are what the repository is
// measured against, so they must not go through it.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { streamModelReply } from "@/ai/model-stream";
import { resolveModel } from "@/ai/provider";
import { sendMessage } from "@/chat";
import {
  addMessage,
  createConversation,
  createUser,
  type Database,
  type DatabaseHandle,
  getMessages,
  openDatabase,
} from "@/db";
import { messages } from "@/db/schema";
import { createScratchDatabase, startTestPostgres } from "@/test/support/postgres";
import { TreeBuilder, writeTree } from "./bench/branch-tree";
import { benchBranches } from "./bench-branches";
import { benchExport } from "./bench-export";
import { benchSearch } from "./bench-search";

const WRITERS = 8;
const WRITES_PER_WRITER = Number(process.env.BENCH_WRITES ?? 250);
const BIG_CONVERSATION = Number(process.env.BENCH_BIG ?? 100_000);
const PAGE_RUNS = 200;
const FULL_RUNS = 5;
const TTFT_RUNS = Number(process.env.BENCH_TTFT_RUNS ?? 100);

// Read lazily by the modules under test: the offline model at full speed, no send limit.
process.env.OFFLINE_MODEL_TOKEN_DELAY_MS = "0";
process.env.RATE_LIMIT_SENDS_PER_MINUTE = "1000000";

type Row = { driver: string; measure: string; value: string; baseline: string; ratio: string };
const table: Row[] = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function newOwner(db: Database) {
  const user = await createUser(db, { email: `bench-${randomUUID()}@example.test` });
  return user.id;
}

/** Messages per second when `WRITERS` writers each append to their own conversation. */
async function throughput(
  db: Database,
  append: (userId: string, conversationId: string, i: number) => Promise<unknown>,
) {
  const userId = await newOwner(db);
  const conversations = await Promise.all(
    Array.from({ length: WRITERS }, () => createConversation(db, { userId })),
  );
  const elapsed = await timeIt(() =>
    Promise.all(
      conversations.map(async (c) => {
        for (let i = 0; i < WRITES_PER_WRITER; i++) await append(userId, c.id, i);
      }),
    ),
  );
  return (WRITERS * WRITES_PER_WRITER) / (elapsed / 1000);
}

const viaRepository = (db: Database) => (userId: string, conversationId: string, i: number) =>
  addMessage(db, { id: randomUUID(), conversationId, userId, role: "user", content: `m${i}` });

const viaRawSql = (db: Database) => (userId: string, conversationId: string, i: number) =>
  db.transaction(async (tx) => {
    const bumped = await tx.execute(
      sql`update conversations set last_sequence = last_sequence + 1, updated_at = now()
          where id = ${conversationId} and user_id = ${userId} returning last_sequence`,
    );
    const rows = (Array.isArray(bumped) ? bumped : (bumped as { rows: unknown[] }).rows) as Array<{
      last_sequence: number;
    }>;
    await tx.execute(
      sql`insert into messages (id, conversation_id, user_id, role, content, sequence)
          values (${randomUUID()}, ${conversationId}, ${userId}, 'user', ${`m${i}`}, ${rows[0]?.last_sequence})`,
    );
  });

async function seedBigConversation(db: Database) {
  const userId = await newOwner(db);
  const { id } = await createConversation(db, { userId });
  // With its tree columns written directly: through the insert trigger 100,000 rows take long.
  const line = new TreeBuilder();
  const leaf = line.line(null, BIG_CONVERSATION).at(-1);
  await writeTree(db, line, { userId, conversationId: id, leafId: leaf?.id ?? "" });
  await db.execute(sql`analyze messages`);
  return { userId, conversationId: id };
}

type Chunk = { type: string };

/** The model's own parts under the chunk names of the chat flow's stream. */
async function* mapParts(parts: AsyncIterable<{ type: string }>): AsyncIterable<Chunk> {
  for await (const part of parts) yield { type: part.type === "text" ? "text-delta" : part.type };
}

/** Milliseconds until the first text chunk of `stream` arrives; the rest is drained after. */
async function firstTextAfter(
  start: () => Promise<AsyncIterable<Chunk | Chunk[]>>,
): Promise<number> {
  const began = performance.now();
  const stream = await start();
  let first = Number.NaN;
  for await (const item of stream) {
    const chunks = Array.isArray(item) ? item : [item];
    if (Number.isNaN(first) && chunks.some((chunk) => chunk.type === "text-delta")) {
      first = performance.now() - began;
    }
  }
  return first;
}

/**
 * Time to first token through the chat flow (rate limit, turn stored, context rebuilt from the
 * database, reply row checkpointed) against the same offline model streamed with no database.
 */
async function timeToFirstToken(db: Database) {
  const userId = await newOwner(db);
  const model = resolveModel();
  const withPersistence: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < TTFT_RUNS; i++) {
    const content = `Question number ${i}`;
    without.push(
      await firstTextAfter(async () =>
        mapParts(
          streamModelReply({
            model: model.model,
            system: model.systemPrompt,
            messages: [{ role: "user", content }],
          }),
        ),
      ),
    );
    withPersistence.push(
      await firstTextAfter(
        async () =>
          (
            await sendMessage(db, {
              userId,
              conversationId: randomUUID(),
              message: { id: randomUUID(), content },
            })
          ).stream,
      ),
    );
  }
  return { persisted: median(withPersistence), bare: median(without) };
}

async function benchDriver(label: string, handle: DatabaseHandle) {
  const { db } = handle;
  console.error(`[bench] ${label}: time to first token…`);
  const ttft = await timeToFirstToken(db);
  table.push({
    driver: label,
    measure: "time to first token (ms, median)",
    value: ttft.persisted.toFixed(2),
    baseline: `${ttft.bare.toFixed(2)} no persistence`,
    ratio: `+${(ttft.persisted - ttft.bare).toFixed(2)} ms`,
  });
  console.error(`[bench] ${label}: writes…`);
  // Warm up both paths, then alternate so neither benefits from running second.
  await throughput(db, viaRawSql(db));
  await throughput(db, viaRepository(db));
  const raw = await throughput(db, viaRawSql(db));
  const repo = await throughput(db, viaRepository(db));
  table.push({
    driver: label,
    measure: `addMessage, ${WRITERS} writers (msg/s)`,
    value: repo.toFixed(0),
    baseline: `${raw.toFixed(0)} raw SQL`,
    ratio: `${((repo / raw) * 100).toFixed(0)}%`,
  });

  console.error(`[bench] ${label}: seeding ${BIG_CONVERSATION} messages…`);
  const big = await seedBigConversation(db);
  const pageTimes: number[] = [];
  for (let i = 0; i < PAGE_RUNS; i++) pageTimes.push(await timeIt(() => getMessages(db, big)));
  const fullTimes: number[] = [];
  for (let i = 0; i < FULL_RUNS; i++) {
    fullTimes.push(
      await timeIt(() =>
        db
          .select()
          .from(messages)
          .where(sql`${messages.conversationId} = ${big.conversationId}`)
          .orderBy(messages.sequence),
      ),
    );
  }
  const page = median(pageTimes);
  const full = median(fullTimes);
  table.push({
    driver: label,
    measure: `newest page of ${BIG_CONVERSATION} (ms, median)`,
    value: page.toFixed(2),
    baseline: `${full.toFixed(1)} whole conversation`,
    ratio: `${(full / page).toFixed(0)}x faster`,
  });
  table.push(...(await benchExport(label, db)));
}

const postgres = await startTestPostgres();
try {
  const pglite = await openDatabase({ driver: "pglite", dataDir: "memory://" });
  await pglite.migrate();
  await benchDriver("pglite", pglite);
  await pglite.close();

  const pgHandle = await openDatabase({
    driver: "pg",
    url: await createScratchDatabase(postgres.url, "bench"),
    maxConnections: WRITERS + 2,
  });
  await pgHandle.migrate();
  await benchDriver("postgres (pg)", pgHandle);
  await pgHandle.close();

  await benchSearch(postgres.url);
  await benchBranches(postgres.url);
} finally {
  await postgres.stop();
}

console.table(table);

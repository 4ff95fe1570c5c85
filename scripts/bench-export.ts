// `npm run bench`, export section: a 100,000-message account exported through the same path the
// route streams (readAccount → chatkeepDocument → byteStream), then streamed back into another
// account through the importer, with the process's memory watched throughout. The figure is
// memory that stays flat: the live heap (after a collection every 2 MB streamed) and RSS grow by
// about as little for the big account as for a tenth of it. On PGlite the database lives in the
// process, so an import's RSS also holds the rows it stored.
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createUser, type Database, importConversation, readAccount } from "@/db";
import { byteStream, chatkeepDocument } from "@/transfer/export";
import { runImport } from "@/transfer/import";

const MESSAGES = Number(process.env.BENCH_EXPORT_MESSAGES ?? 100_000);
const PER_CONVERSATION = 100;
const CONTENT = "The quick brown fox jumps over the lazy dog. ".repeat(5);

type Row = { driver: string; measure: string; value: string; baseline: string; ratio: string };

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** An account of `total` messages, stored the way an import stores them (bulk, per conversation). */
async function seedAccount(db: Database, total: number): Promise<string> {
  const { id: userId } = await createUser(db, {
    email: `bench-export-${randomUUID()}@example.test`,
  });
  const start = Date.now() - total * 1000;
  for (let c = 0; c * PER_CONVERSATION < total; c++) {
    const createdAt = new Date(start + c * PER_CONVERSATION * 1000);
    await importConversation(db, {
      userId,
      conversation: {
        id: randomUUID(),
        title: `Conversation ${c}`,
        createdAt,
        updatedAt: createdAt,
        messages: Array.from(
          { length: Math.min(PER_CONVERSATION, total - c * PER_CONVERSATION) },
          (_, i) => ({
            id: randomUUID(),
            role: i % 2 ? ("assistant" as const) : ("user" as const),
            content: `${i}: ${CONTENT}`,
            status: "complete" as const,
            finishReason: i % 2 ? "stop" : null,
            model: i % 2 ? "offline" : null,
            inputTokens: i % 2 ? 120 : null,
            outputTokens: i % 2 ? 40 : null,
            error: null,
            replyTo: null,
            createdAt: new Date(createdAt.getTime() + i * 1000),
            updatedAt: new Date(createdAt.getTime() + i * 1000),
          }),
        ),
      },
    });
  }
  return userId;
}

// Collections on demand, so what is measured is memory still in use, not garbage the collector
// has not got to yet; the script runs without --expose-gc, so the flag is set at run time.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

const PROBE_EVERY_BYTES = 2 * 1024 * 1024;

/**
 * Runs `work`, which streams an export through `probe`: every 2 MB streamed, a full collection
 * and a reading of the JS heap still in use. RSS is sampled every 20 ms. Memory proportional to
 * the account would show as live heap growing with the bytes streamed.
 */
async function measured<T>(work: (probe: (bytes: number) => void) => Promise<T>) {
  collect();
  const start = process.memoryUsage();
  let peak = start.rss;
  let liveGrowth = 0;
  let sinceProbe = 0;
  const probe = (bytes: number) => {
    sinceProbe += bytes;
    if (sinceProbe < PROBE_EVERY_BYTES) return;
    sinceProbe = 0;
    collect();
    liveGrowth = Math.max(liveGrowth, process.memoryUsage().heapUsed - start.heapUsed);
  };
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const began = performance.now();
  try {
    const result = await work(probe);
    const ms = performance.now() - began;
    peak = Math.max(peak, process.memoryUsage().rss);
    collect();
    const after = process.memoryUsage().rss;
    return { result, ms, before: start.rss, peak, after, liveGrowth };
  } finally {
    clearInterval(sampler);
  }
}

/** The export's bytes as the route streams them, each chunk shown to `probe`. */
async function* exportStream(db: Database, userId: string, probe: (bytes: number) => void) {
  const reader = byteStream(chatkeepDocument(readAccount(db, { userId }), new Date())).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    probe(value.byteLength);
    yield value;
  }
}

async function exportBytes(db: Database, userId: string, probe: (bytes: number) => void) {
  let bytes = 0;
  for await (const chunk of exportStream(db, userId, probe)) bytes += chunk.byteLength;
  return bytes;
}

export async function benchExport(label: string, db: Database): Promise<Row[]> {
  console.error(
    `[bench] ${label}: seeding export accounts (${MESSAGES} and ${MESSAGES / 10} messages)…`,
  );
  const small = await seedAccount(db, MESSAGES / 10);
  const big = await seedAccount(db, MESSAGES);
  // Warm-up: the first run pays for compiling and the connection's prepared plans.
  await exportBytes(db, small, () => {});
  const smallRun = await measured((probe) => exportBytes(db, small, probe));
  const bigRun = await measured((probe) => exportBytes(db, big, probe));
  console.error(`[bench] ${label}: importing the ${MESSAGES}-message export into another account…`);
  const { id: importer } = await createUser(db, {
    email: `bench-import-${randomUUID()}@example.test`,
  });
  const importRun = await measured((probe) =>
    runImport(exportStream(db, big, probe), {
      userId: importer,
      limits: { maxBytes: 4 * 1024 ** 3, maxConversations: 1_000_000 },
      store: (conversation) => importConversation(db, { userId: importer, conversation }),
    }),
  );
  const growth = (run: { before: number; peak: number }) => run.peak - run.before;
  return [
    {
      driver: label,
      measure: `export ${MESSAGES} messages (${mb(bigRun.result)}): RSS before → peak → after`,
      value: `${mb(bigRun.before)} → ${mb(bigRun.peak)} → ${mb(bigRun.after)}`,
      baseline: `${MESSAGES / 10} messages: +${mb(growth(smallRun))} RSS, +${mb(smallRun.liveGrowth)} live heap`,
      ratio: `+${mb(growth(bigRun))} RSS, +${mb(bigRun.liveGrowth)} live heap, ${(bigRun.ms / 1000).toFixed(1)} s`,
    },
    {
      driver: label,
      measure: `import it back (${importRun.result.imported} conversations): RSS before → peak → after`,
      value: `${mb(importRun.before)} → ${mb(importRun.peak)} → ${mb(importRun.after)}`,
      baseline: `${(MESSAGES / (importRun.ms / 1000)).toFixed(0)} msg/s`,
      ratio: `+${mb(growth(importRun))} RSS, +${mb(importRun.liveGrowth)} live heap, ${(importRun.ms / 1000).toFixed(1)} s`,
    },
  ];
}

// Alone (`node --conditions=react-server --import tsx scripts/bench-export.ts`): this section
// only, on PGlite and on a private Postgres.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { openDatabase } = await import("@/db");
  const { createScratchDatabase, startTestPostgres } = await import("@/test/support/postgres");
  const rows: Row[] = [];
  const pglite = await openDatabase({ driver: "pglite", dataDir: "memory://" });
  await pglite.migrate();
  rows.push(...(await benchExport("pglite", pglite.db)));
  await pglite.close();
  const postgres = await startTestPostgres();
  try {
    const handle = await openDatabase({
      driver: "pg",
      url: await createScratchDatabase(postgres.url, "bench"),
    });
    await handle.migrate();
    rows.push(...(await benchExport("postgres (pg)", handle.db)));
    await handle.close();
  } finally {
    await postgres.stop();
  }
  console.table(rows);
}

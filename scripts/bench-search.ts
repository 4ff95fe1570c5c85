// Search figures for `npm run bench`: one person with 1,000 conversations × 100 messages among
// other people's data, on Postgres; latency of searchMessages (first page) for typical queries.
import { sql } from "drizzle-orm";
import { createUser, openDatabase, searchMessages } from "@/db";
import { createScratchDatabase } from "@/test/support/postgres";
import { RARE_WORD, seedSearchCorpus } from "@/test/support/search-corpus";

const CONVERSATIONS = Number(process.env.BENCH_SEARCH_CONVERSATIONS ?? 1_000);
const PER_CONVERSATION = 100;
const OTHER_USERS = 3;
const RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 50);
const TARGET_P50_MS = 50;

const QUERIES: Array<[label: string, query: string]> = [
  ["rare word", `${RARE_WORD} `],
  ["common word", "error "],
  ["two common words", "server error "],
  ["phrase", '"error function" '],
  ["prefix (typing)", "quest"],
  ["word + prefix", "index ter"],
  ["rare word, typed", RARE_WORD.slice(0, 5)],
  ["uncommon word", "term778 "],
  ["uncommon prefix", "term77"],
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function benchSearch(postgresUrl: string): Promise<void> {
  const handle = await openDatabase({
    driver: "pg",
    url: await createScratchDatabase(postgresUrl, "bench_search"),
    queryTimeoutMs: 0,
  });
  try {
    await handle.migrate();
    const { db } = handle;
    const email = (name: string) => `bench-search-${name}-${Date.now()}@example.test`;
    const me = await createUser(db, { email: email("me") });
    console.error(
      `[bench] search: seeding ${CONVERSATIONS} × ${PER_CONVERSATION} messages (+ ${OTHER_USERS} other people)…`,
    );
    const seedStart = performance.now();
    await seedSearchCorpus(db, {
      userId: me.id,
      conversations: CONVERSATIONS,
      perConversation: PER_CONVERSATION,
    });
    for (let i = 0; i < OTHER_USERS; i++) {
      const other = await createUser(db, { email: email(`other${i}`) });
      await seedSearchCorpus(db, {
        userId: other.id,
        conversations: CONVERSATIONS / 2,
        perConversation: PER_CONVERSATION,
      });
    }
    // What autovacuum does after a load: statistics, and the GIN pending list merged.
    await db.execute(sql`vacuum analyze messages`);
    await db.execute(sql`vacuum analyze conversations`);
    console.error(
      `[bench] search: seeded in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`,
    );

    const rows = [];
    for (const [label, query] of QUERIES) {
      const input = { userId: me.id, query };
      const first = await searchMessages(db, input);
      for (let i = 0; i < 3; i++) await searchMessages(db, input);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        await searchMessages(db, input);
        times.push(performance.now() - start);
      }
      const p50 = percentile(times, 50);
      rows.push({
        query: `${label}: ${JSON.stringify(query)}`,
        "hits on page": first.items.length,
        "p50 (ms)": p50.toFixed(2),
        "p99 (ms)": percentile(times, 99).toFixed(2),
        [`p50 < ${TARGET_P50_MS} ms`]: p50 < TARGET_P50_MS ? "yes" : "NO",
      });
    }
    console.log(
      `\nSearch on Postgres: ${CONVERSATIONS * PER_CONVERSATION} messages for the searcher, ${
        (OTHER_USERS * CONVERSATIONS * PER_CONVERSATION) / 2
      } for others; first page (20 hits), ${RUNS} runs each`,
    );
    console.table(rows);
  } finally {
    await handle.close();
  }
}

// Run alone: `node --conditions=react-server --import tsx scripts/bench-search.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { startTestPostgres } = await import("@/test/support/postgres");
  const postgres = await startTestPostgres();
  try {
    await benchSearch(postgres.url);
  } finally {
    await postgres.stop();
  }
}

// Search figures for `npm run bench`: one person with 1,000 conversations × 100 messages among
// other people's data, on Postgres; latency of searchMessages (first page) for typical queries.
// Then the same queries for someone whose messages are all older than everyone else's (the
// plan must not walk other people's), and snippets of very long messages.

import { randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import {
  addMessage,
  createConversation,
  createUser,
  type Database,
  openDatabase,
  searchMessages,
} from "@/db";
import { excerpt, headline, lexemeAlternatives } from "@/db/search-headline";
import { MATCH_END, MATCH_START } from "@/lib/search-snippet";
import { createScratchDatabase } from "@/test/support/postgres";
import { RARE_WORD, seedSearchCorpus } from "@/test/support/search-corpus";
import { runAloneOnPostgres } from "./bench/run-alone";

const CONVERSATIONS = Number(process.env.BENCH_SEARCH_CONVERSATIONS ?? 1_000);
const PER_CONVERSATION = 100;
const OTHER_USERS = 3;
// The issue's case: 30,000 messages, three years old, among 230,000.
const OLD_CONVERSATIONS = Number(process.env.BENCH_SEARCH_OLD_CONVERSATIONS ?? 300);
const OLD_HOURS_AGO = 3 * 365 * 24;
const LONG_MESSAGES = 21;
const LONG_MESSAGE_CHARS = 100_000;
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

async function timeRuns(run: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** A user with `LONG_MESSAGES` messages of `LONG_MESSAGE_CHARS`, the searched word near the end. */
async function seedLongMessages(db: Database, userId: string) {
  const { id: conversationId } = await createConversation(db, { userId, title: "Long" });
  const filler = "lorem ipsum dolor sit amet ".repeat(Math.ceil(LONG_MESSAGE_CHARS / 27));
  for (let i = 0; i < LONG_MESSAGES; i++) {
    const content = `${filler.slice(0, LONG_MESSAGE_CHARS - 40)} the needle is here ${i}`;
    await addMessage(db, { id: randomUUID(), conversationId, userId, role: "user", content });
  }
}

/** The database time of the page's snippets alone: a headline over each long message. */
function snippetQuery(userId: string, snippet: (body: SQL, matches: SQL) => SQL): SQL {
  const matches = sql`websearch_to_tsquery('simple', 'needle')`;
  return sql`select ${snippet(sql`content`, matches)} from messages where user_id = ${userId}`;
}

// The headline as it was before the window: over the whole text.
const WHOLE_TEXT_HEADLINE = (body: SQL, matches: SQL) =>
  sql`ts_headline('simple', ${body}, ${matches}, ${`StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=24, MinWords=8, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`})`;
// As db/search.ts makes it: the excerpt computed once per row.
const WINDOW_HEADLINE = (body: SQL, matches: SQL) =>
  sql`(select ${headline(sql`'simple'::regconfig`, sql`x.text`, matches)}
       from (select ${excerpt(body, lexemeAlternatives(matches))} as text offset 0) x)`;

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
    // Seeded first, and dated three years back: the oldest rows in the table.
    const old = await createUser(db, { email: email("old") });
    await seedSearchCorpus(db, {
      userId: old.id,
      conversations: OLD_CONVERSATIONS,
      perConversation: PER_CONVERSATION,
      hoursAgo: OLD_HOURS_AGO,
    });
    const long = await createUser(db, { email: email("long") });
    await seedLongMessages(db, long.id);
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
    const mine = new Map<string, number>();
    for (const [label, query] of QUERIES) {
      const input = { userId: me.id, query };
      const first = await searchMessages(db, input);
      const { p50, p99 } = await timeRuns(() => searchMessages(db, input));
      mine.set(query, p50);
      rows.push({
        query: `${label}: ${JSON.stringify(query)}`,
        "hits on page": first.items.length,
        "p50 (ms)": p50.toFixed(2),
        "p99 (ms)": p99.toFixed(2),
        [`p50 < ${TARGET_P50_MS} ms`]: p50 < TARGET_P50_MS ? "yes" : "NO",
      });
    }
    console.log(
      `\nSearch on Postgres: ${CONVERSATIONS * PER_CONVERSATION} messages for the searcher, ${
        (OTHER_USERS * CONVERSATIONS * PER_CONVERSATION) / 2 + OLD_CONVERSATIONS * PER_CONVERSATION
      } for others; first page (20 hits), ${RUNS} runs each`,
    );
    console.table(rows);

    const oldRows = [];
    for (const [label, query] of QUERIES.filter(([, q]) =>
      ["error ", "erro", `${RARE_WORD} `, "quest"].includes(q),
    )) {
      const input = { userId: old.id, query };
      const first = await searchMessages(db, input);
      const { p50, p99 } = await timeRuns(() => searchMessages(db, input));
      const baseline = mine.get(query) ?? Number.NaN;
      oldRows.push({
        query: `${label}: ${JSON.stringify(query)}`,
        "hits on page": first.items.length,
        "p50 (ms)": p50.toFixed(2),
        "p99 (ms)": p99.toFixed(2),
        "vs the searcher above": `${(p50 / baseline).toFixed(2)}x`,
        [`p50 < ${TARGET_P50_MS} ms`]: p50 < TARGET_P50_MS ? "yes" : "NO",
      });
    }
    console.log(
      `\nThe same for someone whose ${OLD_CONVERSATIONS * PER_CONVERSATION} messages are the oldest in the table (three years old)`,
    );
    console.table(oldRows);

    const whole = await timeRuns(() => db.execute(snippetQuery(long.id, WHOLE_TEXT_HEADLINE)));
    const windowed = await timeRuns(() => db.execute(snippetQuery(long.id, WINDOW_HEADLINE)));
    const page = await timeRuns(() => searchMessages(db, { userId: long.id, query: "needle" }));
    console.log(
      `\nSnippets of ${LONG_MESSAGES} messages of ${LONG_MESSAGE_CHARS.toLocaleString("en")} characters, the word near the end`,
    );
    console.table([
      {
        measure: "headlines over the whole texts",
        "p50 (ms)": whole.p50.toFixed(1),
        "p99 (ms)": whole.p99.toFixed(1),
      },
      {
        measure: "headlines over a window (now)",
        "p50 (ms)": windowed.p50.toFixed(1),
        "p99 (ms)": windowed.p99.toFixed(1),
        ratio: `${(windowed.p50 / whole.p50).toFixed(2)}x`,
      },
      {
        measure: "searchMessages, first page",
        "p50 (ms)": page.p50.toFixed(1),
        "p99 (ms)": page.p99.toFixed(1),
      },
    ]);
  } finally {
    await handle.close();
  }
}

// Run alone: `node --conditions=react-server --import tsx scripts/bench-search.ts`.
await runAloneOnPostgres(import.meta.url, benchSearch);

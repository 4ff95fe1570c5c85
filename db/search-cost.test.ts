import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, queryRows } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import { RARE_WORD, seedSearchCorpus } from "@/test/support/search-corpus";
import type { DatabaseHandle } from "./client";
import { searchMessages, searchStatement } from "./search";

// The searcher's messages are the oldest in the table, everyone else's newer and more numerous:
// a plan that walks the table newest first, or reads a word's matches for every user, pays for
// other people's data. The cost measured is the pages the statement touches (shared buffers hit
// or read), which does not depend on the machine's speed or on what is cached.
const SEARCHER = { conversations: 20, perConversation: 100, hoursAgo: 3 * 365 * 24 };
const OTHERS_PER_BATCH = 4;
const OTHER = { conversations: 25, perConversation: 100 };
// A word the searcher never wrote and the others write in one message in ten.
const THEIR_WORD_EVERY = 10;

const QUERIES = [
  ["common word", "error "],
  ["common word, typed", "erro"],
  ["a word only others use", `${RARE_WORD} `],
  ["a word in every title", "conversation "],
] as const;

/** Pages touched by one run of a statement (the plan's top node counts its children's). */
async function pagesTouched(db: DatabaseHandle["db"], statement: SQL): Promise<number> {
  const [row] = await queryRows<{ "QUERY PLAN": unknown }>(
    db,
    sql`explain (analyze, buffers, format json) ${statement}`,
  );
  const raw = row?.["QUERY PLAN"];
  const [explained] = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{
    Plan: Record<string, number>;
  }>;
  const plan = explained?.Plan ?? {};
  return (plan["Shared Hit Blocks"] ?? 0) + (plan["Shared Read Blocks"] ?? 0);
}

describe("search cost on real Postgres", () => {
  let handle: DatabaseHandle | undefined;
  const db = () => {
    if (!handle) throw new Error("database not open yet");
    return handle.db;
  };
  let searcherId = "";

  async function addOthers(batch: number) {
    for (let i = 0; i < batch; i++) {
      const other = await makeUser(db());
      await seedSearchCorpus(db(), {
        userId: other.id,
        ...OTHER,
        rareEvery: THEIR_WORD_EVERY,
      });
    }
    // What autovacuum does after a load: statistics, and the GIN pending lists merged.
    await db().execute(sql`vacuum analyze messages`);
    await db().execute(sql`vacuum analyze conversations`);
  }

  async function measure(): Promise<Record<string, number>> {
    const pages: Record<string, number> = {};
    for (const [label, query] of QUERIES) {
      const statement = searchStatement({ userId: searcherId, query });
      await pagesTouched(db(), statement);
      pages[label] = await pagesTouched(db(), statement);
    }
    return pages;
  }

  beforeAll(async () => {
    handle = await openTestDatabase("pg");
    const searcher = await makeUser(db());
    searcherId = searcher.id;
    await seedSearchCorpus(db(), { userId: searcherId, ...SEARCHER });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("reads no more pages when other people's messages grow fourfold", async () => {
    await addOthers(OTHERS_PER_BATCH);
    const before = await measure();
    await addOthers(3 * OTHERS_PER_BATCH);
    const after = await measure();
    // The one case decision 34 leaves proportional to the searcher's own data: for a word they
    // never wrote but others often do, the planner (estimating matches per user from the whole
    // table) may walk the searcher's recency index to its end instead of the GIN index. That
    // walk reads the searcher's rows, as many with 4N others as with N.
    const ownWalk = await pagesTouched(
      db(),
      sql`select m.id, m.search_vector from messages m where m.user_id = ${searcherId}
          order by m.created_at desc, m.id desc`,
    );
    for (const [label] of QUERIES) {
      const small = before[label] ?? 0;
      const large = after[label] ?? 0;
      const bound = label === "a word only others use" ? Math.max(small, ownWalk) : small;
      // A few pages of slack: an index one level deeper costs a page per descent.
      expect
        .soft(
          large,
          `${label}: ${small} pages with N others, ${large} with 4N (own rows ${ownWalk})`,
        )
        .toBeLessThanOrEqual(bound * 1.2 + 10);
    }
    // And the answers are the searcher's own.
    for (const [label, query] of QUERIES) {
      const { items } = await searchMessages(db(), { userId: searcherId, query });
      if (label === "a word only others use") expect(items).toEqual([]);
      else expect(items.length, label).toBe(20);
    }
  });
});

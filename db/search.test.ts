import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { describeOnEachDriver, queryRows } from "@/test/support/databases";
import {
  makeConversation,
  makeUser,
  seedBulkMessages,
  userWithMessages,
} from "@/test/support/factories";
import { createScratchDatabase } from "@/test/support/postgres";
import { RARE_WORD, seedSearchCorpus } from "@/test/support/search-corpus";
import { openDatabase } from "./client";
import {
  checkpointReply,
  finishReply,
  renameConversation,
  type SearchHit,
  searchMessages,
  startTurn,
} from "./index";
import { searchStatement } from "./search";
import { applySearchLanguage, generationExpression } from "./search-language";

const lease = { owner: "search-test", ms: 60_000 };

/**
 * A user with one conversation holding `contents`, in order. Titled, so the title is not taken
 * from the first message (which would make it a hit of its own).
 */
const contentsOf = (hits: SearchHit[], stored: { id: string; content: string }[]) =>
  hits.map((hit) => stored.find((m) => m.id === hit.message?.id)?.content);

describeOnEachDriver("search", (db) => {
  it("finds messages by word, newest first, with the matched words marked", async () => {
    const { userId, stored } = await userWithMessages(db(), [
      "Where can I find good pizza in Naples?",
      "Tell me about trains",
      "Is PIZZA healthy?",
    ]);
    const { items, nextCursor } = await searchMessages(db(), { userId, query: "pizza" });
    expect(contentsOf(items, stored)).toEqual([
      "Is PIZZA healthy?",
      "Where can I find good pizza in Naples?",
    ]);
    expect(nextCursor).toBeNull();
    expect(items[0]?.message).toMatchObject({ role: "user", sequence: 3 });
    expect(items[0]?.snippet.filter((segment) => segment.match)).toEqual([
      { text: "PIZZA", match: true },
    ]);
    expect(items[0]?.snippet.map((segment) => segment.text).join("")).toContain("PIZZA healthy");
  });

  it("reads quotes as a phrase and -word as exclusion", async () => {
    const { userId, stored } = await userWithMessages(db(), [
      "flights to new york",
      "york is new to me",
      "pizza with anchovies",
      "pizza with olives",
    ]);
    const phrase = await searchMessages(db(), { userId, query: '"new york"' });
    expect(contentsOf(phrase.items, stored)).toEqual(["flights to new york"]);
    const minus = await searchMessages(db(), { userId, query: "pizza -anchovies" });
    expect(contentsOf(minus.items, stored)).toEqual(["pizza with olives"]);
  });

  it("matches the word still being typed as a prefix, and only the last one", async () => {
    const { userId, stored } = await userWithMessages(db(), [
      "the quarterly report",
      "a quartet of strings",
      "report on quasars",
    ]);
    const quar = await searchMessages(db(), { userId, query: "quar" });
    expect(contentsOf(quar.items, stored)).toEqual([
      "a quartet of strings",
      "the quarterly report",
    ]);
    const reportQua = await searchMessages(db(), { userId, query: "report qua" });
    expect(contentsOf(reportQua.items, stored)).toEqual([
      "report on quasars",
      "the quarterly report",
    ]);
    // A finished word (followed by a space) is whole, not a prefix.
    const whole = await searchMessages(db(), { userId, query: "quar " });
    expect(whole.items).toEqual([]);
  });

  it("returns a conversation whose title matches as a result without a message", async () => {
    const { userId, conversationId } = await userWithMessages(db(), ["hello"], "Holiday in Lisbon");
    const { items } = await searchMessages(db(), { userId, query: "lisbon" });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      conversation: { id: conversationId, title: "Holiday in Lisbon" },
      message: null,
    });
    expect(items[0]?.snippet).toContainEqual({ text: "Lisbon", match: true });
    // A rename is searchable at once: the title's vector is generated with it.
    await renameConversation(db(), { conversationId, userId, title: "Trip to Porto" });
    expect((await searchMessages(db(), { userId, query: "lisbon" })).items).toEqual([]);
    expect((await searchMessages(db(), { userId, query: "porto" })).items).toHaveLength(1);
  });

  it("only ever returns the caller's messages", async () => {
    const alice = await userWithMessages(
      db(),
      ["shared secret word", "another secret"],
      "secret plans",
    );
    const bob = await userWithMessages(db(), ["bob's secret", "secret too"], "secret stuff");
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      for (const query of ["secret", "secre", '"secret"', "secret -nothing"]) {
        const { items } = await searchMessages(db(), { userId: me.userId, query });
        expect(items.length, query).toBe(3);
        for (const hit of items) {
          expect(hit.conversation.id).toBe(me.conversationId);
          expect(other.stored.map((m) => m.id)).not.toContain(hit.message?.id);
        }
      }
    }
  });

  it("pages newest first with an opaque cursor, each hit once", async () => {
    const user = await makeUser(db());
    const convo = await makeConversation(db(), user.id);
    const seeded = await seedBulkMessages(db(), {
      conversationId: convo.id,
      count: 45,
      content: (i) => (i % 3 === 0 ? `needle number ${i}` : `hay ${i}`),
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await searchMessages(db(), {
        userId: user.id,
        query: "needle",
        cursor,
        limit: 4,
      });
      seen.push(...page.items.map((hit) => hit.message?.id ?? ""));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const expected = seeded.filter((_, i) => i % 3 === 0).reverse();
    expect(seen).toEqual(expected.map((m) => m.id));
    await expect(
      searchMessages(db(), { userId: user.id, query: "needle", cursor: "forged" }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it("indexes a reply once it settles, not while it streams", async () => {
    const { userId, conversationId } = await userWithMessages(db(), []);
    const turn = await startTurn(db(), {
      userId,
      conversationId,
      message: { id: randomUUID(), content: "tell me about zebras" },
      replyId: randomUUID(),
      lease,
    });
    const replyId = turn.reply?.id ?? "";
    await checkpointReply(db(), { replyId, lease, content: "Zebras have stripes" });
    const vectorOf = async () => {
      const [row] = await queryRows<{ empty: boolean }>(
        db(),
        sql`select search_vector is null as empty from messages where id = ${replyId}`,
      );
      return row?.empty;
    };
    expect(await vectorOf()).toBe(true);
    expect((await searchMessages(db(), { userId, query: "stripes" })).items).toEqual([]);
    await finishReply(db(), {
      replyId,
      lease,
      content: "Zebras have stripes and hooves",
      outcome: { status: "complete" },
    });
    expect(await vectorOf()).toBe(false);
    const { items } = await searchMessages(db(), { userId, query: "stripes" });
    expect(items.map((hit) => hit.message?.id)).toEqual([replyId]);
  });

  it("takes hostile queries as words, never as SQL or tsquery syntax", async () => {
    const { userId, stored } = await userWithMessages(db(), [
      "it's a \\ backslash: & pipe | bang!",
    ]);
    const hostile = [
      "'",
      "\\",
      ":*",
      "a:*",
      "&|!()",
      "!(",
      "<->",
      "''':*",
      "it's",
      "'); drop table messages; --",
      '"',
      '"unclosed phrase',
      "-",
      "- -",
      "or",
      "a & (b | !c)",
      "\\'",
      "x:A*",
      "💥",
      "\u202e",
    ];
    for (const query of hostile) {
      const { items } = await searchMessages(db(), { userId, query });
      expect(Array.isArray(items), query).toBe(true);
    }
    expect(
      contentsOf((await searchMessages(db(), { userId, query: "it's" })).items, stored),
    ).toEqual(stored.map((m) => m.content));
    for (const bad of ["", "   ", "a\u0000b", "x".repeat(201), "\ud800"]) {
      await expect(searchMessages(db(), { userId, query: bad }), bad).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
  });

  it("returns snippets as text: markup and the marks' own characters are not markup", async () => {
    const { userId } = await userWithMessages(db(), [
      "look at <b>bold</b> &amp; \uE000fake\uE001 mark and a real target",
    ]);
    const [hit] = (await searchMessages(db(), { userId, query: "target" })).items;
    const text = hit?.snippet.map((s) => s.text).join("");
    // A short message is its own snippet, character for character (the marks' look-alikes blanked).
    expect(text).toBe("look at <b>bold</b> &amp;  fake  mark and a real target");
    expect(text).not.toMatch(/[\uE000\uE001]/);
    expect(hit?.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(["target"]);
  });

  it("cuts a long message to the passages around its matches", async () => {
    const filler = (word: string) => Array.from({ length: 300 }, (_, i) => `${word}${i}`).join(" ");
    const { userId } = await userWithMessages(db(), [
      `${filler("before")} the needle is here ${filler("after")}`,
    ]);
    const [hit] = (await searchMessages(db(), { userId, query: "needle" })).items;
    const text = hit?.snippet.map((s) => s.text).join("") ?? "";
    expect(text.length).toBeLessThan(400);
    expect(text).toContain("the needle is here");
    expect(hit?.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(["needle"]);
  });

  it("plans a selective search on the GIN index, not a scan of the messages", async () => {
    // Two people with many conversations each, so that reading a person's conversations one by
    // one costs more than the index: the planner's own choice, on fresh statistics.
    const user = await makeUser(db());
    const other = await makeUser(db());
    for (const owner of [user, other]) {
      await seedSearchCorpus(db(), { userId: owner.id, conversations: 100, perConversation: 50 });
    }
    // What autovacuum does after a bulk load: fresh statistics, and the GIN index's pending
    // list of new entries merged into the index proper (until then the planner costs a scan of
    // that list into every use of the index).
    await db().execute(sql`vacuum analyze messages`);
    await db().execute(sql`vacuum analyze conversations`);
    // The finished word, and the same word as a prefix (as it is while being typed).
    for (const query of [`${RARE_WORD} `, RARE_WORD]) {
      const plan = (
        await queryRows<{ "QUERY PLAN": string }>(
          db(),
          sql`explain ${searchStatement({ userId: user.id, query })}`,
        )
      )
        .map((row) => row["QUERY PLAN"])
        .join("\n");
      expect(plan, query).toContain("messages_user_search_idx");
      expect(plan, query).not.toMatch(/Seq Scan on messages/);
    }
    const { items } = await searchMessages(db(), { userId: user.id, query: RARE_WORD });
    expect(items.length).toBeGreaterThan(0);
    for (const hit of items) expect(hit.snippet).toContainEqual({ text: RARE_WORD, match: true });
  });
});

describe("SEARCH_LANGUAGE", () => {
  it("rebuilds the search columns for another configuration at migrate time, only when it differs", async () => {
    const handle = await openDatabase({
      driver: "pg",
      url: await createScratchDatabase(inject("postgresUrl")),
      searchLanguage: "english",
    });
    try {
      const { db } = handle;
      await handle.migrate();
      const storage = async () =>
        queryRows<{ relfilenode: number }>(
          db,
          sql`select relfilenode from pg_class where relname = 'messages'`,
        );
      for (const table of ["messages", "conversations"]) {
        expect(await generationExpression(db, table)).toContain("'english'::regconfig");
      }
      const { userId } = await userWithMessages(db, ["She runs every morning"], "Running club");
      const english = await searchMessages(db, { userId, query: "running", language: "english" });
      // English stems both words to "run": the message and the title are found.
      expect(english.items.map((hit) => hit.message === null)).toEqual([false, true]);

      // Migrating again with the same configuration rewrites nothing.
      const before = await storage();
      await handle.migrate();
      expect(await storage()).toEqual(before);

      // Back to `simple`: the rows already stored are re-read with it.
      await applySearchLanguage(db, "simple");
      expect(await generationExpression(db, "messages")).toContain("'simple'::regconfig");
      const simple = await searchMessages(db, { userId, query: "running", language: "simple" });
      expect(simple.items.map((hit) => hit.message === null)).toEqual([true]);
    } finally {
      await handle.close();
    }
  });
});

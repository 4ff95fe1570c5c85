import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { ConflictError, NotFoundError, TooLargeError, ValidationError } from "@/lib/errors";
import { MAX_MESSAGE_CHARS } from "@/lib/validation";
import { describeOnEachDriver, queryRows } from "@/test/support/databases";
import {
  countMessages,
  lastSequence,
  makeConversation,
  makeUser,
  seedBulkMessages,
  seedMessages,
} from "@/test/support/factories";
import {
  addMessage,
  getConversation,
  getMessages,
  getMessagesAfter,
  getMessagesAround,
} from "./index";
import { messages } from "./schema";

describeOnEachDriver("messages", (db) => {
  async function aliceWithConversation() {
    const alice = await makeUser(db());
    const convo = await makeConversation(db(), alice.id);
    return { alice, convo, base: { conversationId: convo.id, userId: alice.id } };
  }

  it("numbers messages 1, 2, 3 and titles the conversation from the first user message", async () => {
    const { alice, convo, base } = await aliceWithConversation();
    const first = await addMessage(db(), {
      ...base,
      id: randomUUID(),
      role: "user",
      content: "How do   I cook\nrice?",
    });
    const second = await addMessage(db(), {
      ...base,
      id: randomUUID(),
      role: "assistant",
      content: "Rinse it.",
    });
    const third = await addMessage(db(), {
      ...base,
      id: randomUUID(),
      role: "user",
      content: "And then?",
    });
    expect([first.sequence, second.sequence, third.sequence]).toEqual([1, 2, 3]);
    expect(first).toMatchObject({ role: "user", status: "complete", conversationId: convo.id });
    const stored = await getConversation(db(), { conversationId: convo.id, userId: alice.id });
    expect(stored?.title).toBe("How do I cook rice?");
    expect(stored?.updatedAt.getTime()).toBeGreaterThanOrEqual(convo.updatedAt.getTime());
  });

  it("stores a retried message once and answers the retry with the stored row", async () => {
    const { convo, base } = await aliceWithConversation();
    const message = { ...base, id: randomUUID(), role: "user" as const, content: "hello" };
    const stored = await addMessage(db(), message);
    const retried = await addMessage(db(), message);
    expect(retried).toEqual(stored);
    expect(await countMessages(db(), convo.id)).toBe(1);
    // The retry consumed no sequence number: the next message follows without a gap.
    const next = await addMessage(db(), { ...message, id: randomUUID() });
    expect(next.sequence).toBe(2);
  });

  it("stores one row when the same message races itself", async () => {
    const { convo, base } = await aliceWithConversation();
    const message = { ...base, id: randomUUID(), role: "user" as const, content: "twice" };
    const results = await Promise.all(Array.from({ length: 5 }, () => addMessage(db(), message)));
    expect(new Set(results.map((m) => m.sequence))).toEqual(new Set([1]));
    expect(await countMessages(db(), convo.id)).toBe(1);
    expect(await lastSequence(db(), convo.id)).toBe(1);
  });

  it("refuses the same id with different content, role or conversation", async () => {
    const { alice, convo, base } = await aliceWithConversation();
    const other = await makeConversation(db(), alice.id);
    const message = { ...base, id: randomUUID(), role: "user" as const, content: "original" };
    await addMessage(db(), message);
    await expect(addMessage(db(), { ...message, content: "changed" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(addMessage(db(), { ...message, role: "assistant" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(addMessage(db(), { ...message, conversationId: other.id })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await countMessages(db(), convo.id)).toBe(1);
    expect(await countMessages(db(), other.id)).toBe(0);
    expect(await lastSequence(db(), other.id)).toBe(0);
  });

  it("hides another user's conversation as missing and writes nothing to it", async () => {
    const { convo, base } = await aliceWithConversation();
    const bob = await makeUser(db());
    await addMessage(db(), { ...base, id: randomUUID(), role: "user", content: "private" });
    await expect(
      addMessage(db(), { ...base, userId: bob.id, id: randomUUID(), role: "user", content: "x" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      getMessages(db(), { conversationId: convo.id, userId: bob.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      getMessages(db(), { conversationId: randomUUID(), userId: bob.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await countMessages(db(), convo.id)).toBe(1);
    expect(await lastSequence(db(), convo.id)).toBe(1);
  });

  it("gives 50 concurrent appends the sequences 1..50 exactly", async () => {
    const { convo, base } = await aliceWithConversation();
    const stored = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        addMessage(db(), { ...base, id: randomUUID(), role: "user", content: `n${i}` }),
      ),
    );
    const sequences = stored.map((m) => m.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await lastSequence(db(), convo.id)).toBe(50);
  });

  it("pages through 1,000 messages newest page first, each message once, in order", async () => {
    const { alice, convo } = await aliceWithConversation();
    const seeded = await seedMessages(db(), {
      userId: alice.id,
      conversationId: convo.id,
      total: 1000,
    });
    const pages: number[][] = [];
    let before: number | undefined;
    for (;;) {
      const page = await getMessages(db(), {
        conversationId: convo.id,
        userId: alice.id,
        before,
        limit: 64,
      });
      pages.push(page.items.map((m) => m.sequence));
      if (!page.hasMore) break;
      before = page.items[0]?.sequence;
    }
    expect(pages[0]).toEqual(Array.from({ length: 64 }, (_, i) => 937 + i));
    const all = pages.reverse().flat();
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const ids = new Set(seeded.map((m) => m.id));
    expect(ids.size).toBe(1000);
    const newest = await getMessages(db(), { conversationId: convo.id, userId: alice.id });
    expect(newest.items).toHaveLength(50);
    expect(newest.items.at(-1)?.sequence).toBe(1000);
  });

  it("opens a page around a sequence and pages older and newer from it, each message once", async () => {
    const { alice, convo } = await aliceWithConversation();
    await seedBulkMessages(db(), {
      conversationId: convo.id,
      count: 200,
      content: (i) => `bulk ${i + 1}`,
    });
    const owned = { conversationId: convo.id, userId: alice.id };
    const sequences = (items: { sequence: number }[]) => items.map((m) => m.sequence);
    const middle = await getMessagesAround(db(), { ...owned, around: 120, limit: 10 });
    expect(sequences(middle.items)).toEqual([115, 116, 117, 118, 119, 120, 121, 122, 123, 124]);
    expect(middle).toMatchObject({ hasMore: true, hasNewer: true });

    const seen = sequences(middle.items);
    let newest = middle.items.at(-1)?.sequence ?? 0;
    for (let hasNewer = true; hasNewer; ) {
      const page = await getMessagesAfter(db(), { ...owned, after: newest, limit: 30 });
      seen.push(...sequences(page.items));
      newest = page.items.at(-1)?.sequence ?? newest;
      hasNewer = page.hasNewer;
    }
    let oldest = middle.items[0]?.sequence ?? 0;
    for (let hasMore = true; hasMore; ) {
      const page = await getMessages(db(), { ...owned, before: oldest, limit: 30 });
      seen.unshift(...sequences(page.items));
      oldest = page.items[0]?.sequence ?? oldest;
      hasMore = page.hasMore;
    }
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));

    // At the edges the page is what there is, and says so.
    const start = await getMessagesAround(db(), { ...owned, around: 1, limit: 10 });
    expect(sequences(start.items)).toEqual([1, 2, 3, 4, 5]);
    expect(start).toMatchObject({ hasMore: false, hasNewer: true });
    const end = await getMessagesAround(db(), { ...owned, around: 200, limit: 10 });
    expect(sequences(end.items)).toEqual([195, 196, 197, 198, 199, 200]);
    expect(end).toMatchObject({ hasMore: true, hasNewer: false });
    const past = await getMessagesAfter(db(), { ...owned, after: 200 });
    expect(past).toEqual({ items: [], hasNewer: false });

    const bob = await makeUser(db());
    for (const read of [
      () => getMessagesAround(db(), { ...owned, userId: bob.id, around: 120 }),
      () => getMessagesAfter(db(), { ...owned, userId: bob.id, after: 0 }),
    ]) {
      await expect(read()).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it("reports a streaming reply whose lease expired as interrupted, with its partial text", async () => {
    const { alice, convo, base } = await aliceWithConversation();
    const reply = await addMessage(db(), {
      ...base,
      id: randomUUID(),
      role: "assistant",
      content: "Partial ans",
    });
    await db()
      .update(messages)
      .set({ status: "streaming", leaseExpiresAt: sql`now() + interval '1 minute'` })
      .where(eq(messages.id, reply.id));
    const live = await getMessages(db(), { conversationId: convo.id, userId: alice.id });
    expect(live.items[0]?.status).toBe("streaming");
    await db()
      .update(messages)
      .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(messages.id, reply.id));
    const dead = await getMessages(db(), { conversationId: convo.id, userId: alice.id });
    expect(dead.items[0]).toMatchObject({ status: "interrupted", content: "Partial ans" });
  });

  it("keeps timestamps as UTC instants", async () => {
    const { base } = await aliceWithConversation();
    const stored = await addMessage(db(), {
      ...base,
      id: randomUUID(),
      role: "user",
      content: "what time is it?",
    });
    const [clock] = await queryRows<{ epoch_ms: string }>(
      db(),
      sql`select (extract(epoch from now()) * 1000)::bigint::text as epoch_ms`,
    );
    const dbNow = new Date(Number(clock?.epoch_ms));
    expect(Math.abs(stored.createdAt.getTime() - dbNow.getTime())).toBeLessThan(5_000);
    expect(stored.createdAt.toISOString()).toMatch(/Z$/);
    const types = await queryRows<{ data_type: string }>(
      db(),
      sql`select distinct data_type from information_schema.columns
          where table_schema = 'public' and column_name like '%_at' and column_name <> 'expires_at'`,
    );
    expect(types.map((t) => t.data_type)).toEqual(["timestamp with time zone"]);
  });

  it("rejects bad input with a typed error and writes nothing", async () => {
    const { convo, base } = await aliceWithConversation();
    const good = { ...base, id: randomUUID(), role: "user" as const, content: "fine" };
    const bad: Array<[string, unknown, new (...args: never[]) => Error]> = [
      ["empty content", { ...good, content: "" }, ValidationError],
      ["blank content", { ...good, content: " \n\t " }, ValidationError],
      ["NUL in content", { ...good, content: "a\u0000b" }, ValidationError],
      ["oversized content", { ...good, content: "x".repeat(MAX_MESSAGE_CHARS + 1) }, TooLargeError],
      ["content of the wrong type", { ...good, content: 42 }, ValidationError],
      ["a malformed id", { ...good, id: "1234" }, ValidationError],
      ["a malformed conversation id", { ...good, conversationId: "x" }, ValidationError],
      ["an unknown role", { ...good, role: "system" }, ValidationError],
      // Only startTurn writes a streaming reply, always leased: addMessage takes no status.
      ["a status", { ...good, status: "streaming" }, ValidationError],
      ["an unknown field", { ...good, extra: 1 }, ValidationError],
    ];
    for (const [label, input, errorType] of bad) {
      await expect(
        addMessage(db(), input as Parameters<typeof addMessage>[1]),
        label,
      ).rejects.toBeInstanceOf(errorType);
    }
    await expect(getMessages(db(), { ...base, before: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(getMessages(db(), { ...base, limit: 201 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await countMessages(db(), convo.id)).toBe(0);
    expect(await lastSequence(db(), convo.id)).toBe(0);
    // A message at exactly the limit is accepted.
    const largest = await addMessage(db(), { ...good, content: "y".repeat(MAX_MESSAGE_CHARS) });
    expect(largest.content).toHaveLength(MAX_MESSAGE_CHARS);
  });
});

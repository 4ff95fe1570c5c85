import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { NotFoundError } from "@/lib/errors";
import { describeOnEachDriver } from "@/test/support/databases";
import { lastSequence, makeConversation, makeUser, seedMessages } from "@/test/support/factories";
import { chatkeepDocument } from "@/transfer/export";
import { runImport } from "@/transfer/import";
import {
  type Database,
  type ExportChunk,
  finishReply,
  getConversation,
  getMessages,
  importConversation,
  readAccount,
  readConversation,
  startTurn,
} from "./index";
import { conversations, messages } from "./schema";

const lease = { owner: "server-a", ms: 60_000 };
const limits = { maxBytes: 10 * 1024 * 1024, maxConversations: 1000 };

async function collect(chunks: AsyncIterable<ExportChunk>) {
  const all: ExportChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

async function* bytesOf(parts: AsyncIterable<string>) {
  const encoder = new TextEncoder();
  for await (const part of parts) yield encoder.encode(part);
}

/** Everything a user has, as the API shows it, with ids and owners left out. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 3));

async function contents(db: Database, userId: string) {
  const rows = await db
    .select()
    .from(conversations)
    .where(eq(conversations.userId, userId))
    .orderBy(conversations.createdAt, conversations.id);
  return Promise.all(
    rows.map(async (conversation) => {
      const page = await getMessages(db, {
        conversationId: conversation.id,
        userId,
        limit: 200,
      });
      const position = new Map(page.items.map((m) => [m.id, m.sequence]));
      return {
        title: conversation.title,
        lastSequence: conversation.lastSequence,
        createdAt: conversation.createdAt,
        updatedAt: conversation.updatedAt,
        messages: page.items.map(
          ({ id: _id, conversationId: _c, replyTo, parentId, ...message }) => ({
            ...message,
            // The links, by position: ids differ between accounts.
            replyTo: replyTo === null ? null : position.get(replyTo),
            parentId: parentId === null ? null : position.get(parentId),
          }),
        ),
      };
    }),
  );
}

describeOnEachDriver("export and import", (db) => {
  /** An account with finished turns, a reply still streaming and an empty conversation. */
  async function seedAccount() {
    const user = await makeUser(db());
    const finished = await startTurn(db(), {
      userId: user.id,
      conversationId: randomUUID(),
      message: { id: randomUUID(), content: "Plan a weekend in Porto" },
      replyId: randomUUID(),
      lease,
    });
    await finishReply(db(), {
      replyId: finished.reply?.id ?? "",
      lease,
      content: "Day one: Ribeira.",
      outcome: {
        status: "complete",
        finishReason: "stop",
        model: "offline",
        endpoint: "offline",
        inputTokens: 12,
        outputTokens: 4,
      },
    });
    // Conversations are compared oldest first by created_at (milliseconds): keep them apart, so
    // a tie cannot fall to their ids, which differ between the two accounts.
    await pause();
    const live = await startTurn(db(), {
      userId: user.id,
      conversationId: randomUUID(),
      message: { id: randomUUID(), content: "Tell me a long story" },
      replyId: randomUUID(),
      lease,
    });
    await pause();
    const empty = await makeConversation(db(), user.id, "Nothing yet");
    return { user, finished, live, empty };
  }

  it("reads an account page by page: every conversation oldest first, messages in order, only the owner's", async () => {
    const alice = await makeUser(db());
    const bob = await makeUser(db());
    const start = Date.now() - 60_000;
    const ids = Array.from({ length: 5 }, () => randomUUID());
    await db()
      .insert(conversations)
      .values(
        ids.map((id, i) => ({ id, userId: alice.id, createdAt: new Date(start + i * 1000) })),
      );
    await seedMessages(db(), { userId: alice.id, conversationId: ids[2] ?? "", total: 7 });
    await makeConversation(db(), bob.id, "bob's");

    const chunks = await collect(
      readAccount(db(), { userId: alice.id, conversationPage: 2, messagePage: 3 }),
    );
    const conversationIds = chunks.flatMap((c) =>
      c.kind === "conversation" ? [c.conversation.id] : [],
    );
    expect(conversationIds).toEqual(ids);
    const pages = chunks.flatMap((c) => (c.kind === "messages" ? [c] : []));
    // Never more than one page held: 7 messages come as 3 + 3 + 1.
    expect(pages.map((p) => p.messages.length)).toEqual([3, 3, 1]);
    expect(pages.every((p) => p.conversationId === ids[2])).toBe(true);
    expect(pages.flatMap((p) => p.messages.map((m) => m.sequence))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("exports a reply still being written as far as it is stored, with its status", async () => {
    const { user, live } = await seedAccount();
    const chunks = await collect(
      readConversation(db(), { userId: user.id, conversationId: live.userMessage.conversationId }),
    );
    const stored = chunks.flatMap((c) => (c.kind === "messages" ? c.messages : []));
    expect(stored.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "streaming"],
    ]);
  });

  it("refuses to read someone else's conversation, before yielding anything", async () => {
    const { live } = await seedAccount();
    const stranger = await makeUser(db());
    const chunks = readConversation(db(), {
      userId: stranger.id,
      conversationId: live.userMessage.conversationId,
    });
    await expect(chunks.next()).rejects.toBeInstanceOf(NotFoundError);
  });

  it("round-trips an account into another: the same conversations and messages, under new ids the importer owns", async () => {
    const { user: alice, live } = await seedAccount();
    const bob = await makeUser(db());
    const exported = chatkeepDocument(readAccount(db(), { userId: alice.id }), new Date());
    const store =
      (userId: string) =>
      (conversation: Parameters<typeof importConversation>[1]["conversation"]) =>
        importConversation(db(), { userId, conversation });
    const summary = await runImport(bytesOf(exported), {
      userId: bob.id,
      limits,
      store: store(bob.id),
    });
    expect(summary).toMatchObject({ format: "chatkeep", imported: 3, skipped: 0, failedCount: 0 });

    const theirs = await contents(db(), alice.id);
    const mine = await contents(db(), bob.id);
    // The reply that was streaming in Alice's account is nobody's live reply in Bob's.
    const expected = theirs.map((conversation) => ({
      ...conversation,
      messages: conversation.messages.map((m) =>
        m.status === "streaming" ? { ...m, status: "interrupted" } : m,
      ),
    }));
    expect(mine).toEqual(expected);
    // Alice's conversations are untouched and still hers; Bob's copies have ids of their own.
    expect(
      await getConversation(db(), {
        conversationId: live.userMessage.conversationId,
        userId: bob.id,
      }),
    ).toBeNull();
    const [aliceCount] = await db()
      .select({ n: count() })
      .from(conversations)
      .where(eq(conversations.userId, alice.id));
    expect(aliceCount?.n).toBe(3);
  });

  it("imports the same file twice: nothing the second time, everything reported skipped", async () => {
    const bob = await makeUser(db());
    const file = readFileSync(path.resolve("test/fixtures/import/chatgpt-conversations.json"));
    const store = (conversation: Parameters<typeof importConversation>[1]["conversation"]) =>
      importConversation(db(), { userId: bob.id, conversation });
    const first = await runImport([file], { userId: bob.id, limits, store });
    expect(first).toMatchObject({ format: "chatgpt", imported: 2, skipped: 0 });
    const countMessages = async () =>
      (
        await db()
          .select({ n: count() })
          .from(messages)
          .innerJoin(conversations, eq(conversations.id, messages.conversationId))
          .where(eq(conversations.userId, bob.id))
      )[0]?.n;
    const before = await countMessages();
    // Every branch: the sourdough tree holds both versions of its edited question.
    expect(before).toBe(6);
    const second = await runImport([file], { userId: bob.id, limits, store });
    expect(second).toMatchObject({ imported: 0, skipped: 2, failedCount: 0 });
    expect(await countMessages()).toBe(before);
  });

  it("stores a conversation whole or not at all, with contiguous sequences and its own times", async () => {
    const bob = await makeUser(db());
    const base = new Date("2024-01-01T00:00:00.000Z");
    const message = (i: number, id: string = randomUUID()) => ({
      id,
      role: i % 2 ? ("assistant" as const) : ("user" as const),
      content: `m${i}`,
      status: "complete" as const,
      finishReason: null,
      model: null,
      inputTokens: null,
      outputTokens: null,
      error: null,
      replyTo: null,
      createdAt: new Date(base.getTime() + i * 1000),
      updatedAt: new Date(base.getTime() + i * 1000),
    });
    // 700 messages: more than one INSERT. The last repeats the first id, so the second INSERT
    // fails after the first has run; the transaction must take the first back too.
    const first = randomUUID();
    const broken = {
      id: randomUUID(),
      title: "broken",
      createdAt: base,
      updatedAt: base,
      messages: [
        ...Array.from({ length: 699 }, (_, i) => message(i, i === 0 ? first : undefined)),
        message(699, first),
      ],
    };
    await expect(
      importConversation(db(), { userId: bob.id, conversation: broken }),
    ).rejects.toThrow();
    expect(await getConversation(db(), { conversationId: broken.id, userId: bob.id })).toBeNull();
    const [left] = await db().select({ n: count() }).from(messages).where(eq(messages.id, first));
    expect(left?.n).toBe(0);

    const whole = {
      ...broken,
      id: randomUUID(),
      messages: broken.messages
        .slice(0, 699)
        .map((m, i) => ({ ...m, id: i === 0 ? randomUUID() : m.id })),
    };
    // The failed attempt left its other ids unused: a fresh conversation may take them.
    expect(await importConversation(db(), { userId: bob.id, conversation: whole })).toBe(
      "imported",
    );
    expect(await lastSequence(db(), whole.id)).toBe(699);
    const sequences = await db()
      .select({ sequence: messages.sequence })
      .from(messages)
      .where(eq(messages.conversationId, whole.id))
      .orderBy(messages.sequence);
    expect(sequences.map((s) => s.sequence)).toEqual(Array.from({ length: 699 }, (_, i) => i + 1));
    const stored = await getConversation(db(), { conversationId: whole.id, userId: bob.id });
    expect(stored).toMatchObject({ createdAt: base, updatedAt: base, title: "broken" });
  });

  it("derives ids per importing person: two people importing one file do not collide", async () => {
    const [bob, carol] = [await makeUser(db()), await makeUser(db())];
    const file = readFileSync(path.resolve("test/fixtures/import/chatkeep-export.json"));
    for (const person of [bob, carol]) {
      const summary = await runImport([file], {
        userId: person.id,
        limits,
        store: (conversation) => importConversation(db(), { userId: person.id, conversation }),
      });
      expect(summary).toMatchObject({ imported: 2, failedCount: 0 });
    }
    const owners = await db()
      .select({ userId: conversations.userId, n: count() })
      .from(conversations)
      .where(sql`${conversations.userId} in (${bob.id}, ${carol.id})`)
      .groupBy(conversations.userId);
    expect(owners.map((o) => o.n)).toEqual([2, 2]);
  });

  it("refuses a conversation id someone else holds, storing nothing", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const theirs = await makeConversation(db(), alice.id, "alice's");
    const conversation = {
      id: theirs.id,
      title: "mine now",
      createdAt: new Date(),
      updatedAt: new Date(),
      messages: [],
    };
    await expect(importConversation(db(), { userId: bob.id, conversation })).rejects.toThrow(
      /already in use/,
    );
    expect(
      await getConversation(db(), { conversationId: theirs.id, userId: alice.id }),
    ).toMatchObject({ title: "alice's" });
  });

  it.each([
    ["a conversation in year 0", { createdAt: new Date("0000-06-01T00:00:00.000Z") }, {}],
    ["a message in year 10000", {}, { createdAt: new Date("+010000-01-01T00:00:00.000Z") }],
  ])("refuses %s before any INSERT, naming the field", async (_what, dates, messageDates) => {
    const bob = await makeUser(db());
    const at = new Date("2024-01-01T00:00:00.000Z");
    const conversation = {
      id: randomUUID(),
      title: null,
      createdAt: at,
      updatedAt: at,
      ...dates,
      messages: [
        {
          id: randomUUID(),
          role: "user" as const,
          content: "a date no column holds",
          status: "complete" as const,
          finishReason: null,
          model: null,
          inputTokens: null,
          outputTokens: null,
          error: null,
          replyTo: null,
          createdAt: at,
          updatedAt: at,
          ...messageDates,
        },
      ],
    };
    await expect(importConversation(db(), { userId: bob.id, conversation })).rejects.toThrow(
      /createdAt must be a date-time between the years 1 and 9999/,
    );
    expect(await getConversation(db(), { conversationId: conversation.id, userId: bob.id })).toBe(
      null,
    );
  });
});

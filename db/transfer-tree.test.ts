import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeConversation, makeUser } from "@/test/support/factories";
import { fromChatgpt } from "@/transfer/chatgpt";
import { chatkeepDocument } from "@/transfer/export";
import { importIds } from "@/transfer/ids";
import { runImport } from "@/transfer/import";
import {
  addMessage,
  type Database,
  getConversation,
  getMessages,
  type ImportConversationInput,
  importConversation,
  readConversation,
  readCurrentBranch,
  switchVersion,
} from "./index";
import { branchSegments, conversations, messages } from "./schema";

const limits = { maxBytes: 10 * 1024 * 1024, maxConversations: 1000 };

async function* bytesOf(parts: AsyncIterable<string>) {
  const encoder = new TextEncoder();
  for await (const part of parts) yield encoder.encode(part);
}
const sourdoughFile = () =>
  readFileSync(path.resolve("test/fixtures/import/chatgpt-conversations.json"));

/**
 * The whole tree as its contents say it, without ids: every message's place (parent, depth,
 * version index, children, sequence, the first message of its segment) and every segment's
 * ancestry, by first messages too. Two trees built by different writers compare equal.
 */
async function treeOf(db: Database, conversationId: string) {
  const rows = await db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(messages.sequence);
  const contentOf = new Map(rows.map((row) => [row.id, row.content]));
  const segmentHead = new Map<string, string>();
  for (const row of [...rows].sort((a, b) => a.depth - b.depth)) {
    if (!segmentHead.has(row.segmentId)) segmentHead.set(row.segmentId, row.content);
  }
  const segments = await db
    .select()
    .from(branchSegments)
    .where(eq(branchSegments.conversationId, conversationId));
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  return {
    messages: rows.map((row) => ({
      content: row.content,
      parent: row.parentId === null ? null : contentOf.get(row.parentId),
      depth: row.depth,
      versionIndex: row.siblingIndex,
      children: row.childCount,
      sequence: row.sequence,
      segment: segmentHead.get(row.segmentId),
    })),
    segments: segments
      .map((segment) => ({
        head: segmentHead.get(segment.id),
        continues: segment.ancestorIds.map((id) => segmentHead.get(id)),
        until: segment.ancestorUntil,
        forkDepth: segment.forkDepth,
        parent: segment.parentSegmentId ? segmentHead.get(segment.parentSegmentId) : null,
      }))
      .sort((a, b) => String(a.head).localeCompare(String(b.head))),
    rootCount: conversation?.rootCount,
    lastSequence: conversation?.lastSequence,
    currentLeaf: conversation?.currentLeafId ? contentOf.get(conversation.currentLeafId) : null,
  };
}

describeOnEachDriver("importing a message tree", (db) => {
  const at = new Date("2024-01-01T00:00:00.000Z");
  const message = (id: string, content: string, parentId: string | null, role = "user") => ({
    id,
    parentId,
    role: role as "user" | "assistant",
    content,
    status: "complete" as const,
    finishReason: null,
    model: null,
    inputTokens: null,
    outputTokens: null,
    error: null,
    replyTo: null,
    createdAt: at,
    updatedAt: at,
  });

  /**
   * r ─ a1 ─ b1 ─ c1
   *   │    └ b2 ─ c2
   *   └ a2 ─ d2
   * s (a second root)
   */
  const shape: Array<[string, string | null]> = [
    ["r", null],
    ["a1", "r"],
    ["b1", "a1"],
    ["c1", "b1"],
    ["b2", "a1"],
    ["c2", "b2"],
    ["a2", "r"],
    ["d2", "a2"],
    ["s", null],
  ];

  /** The shape above written by the app (its insert trigger), and a version switched to. */
  async function builtTree() {
    const user = await makeUser(db());
    const built = await makeConversation(db(), user.id, "built");
    const ids = new Map<string, string>();
    for (const [content, parent] of shape) {
      const stored = await addMessage(db(), {
        id: randomUUID(),
        conversationId: built.id,
        userId: user.id,
        role: "user",
        content,
        parentId: parent === null ? null : ids.get(parent),
      });
      ids.set(content, stored.id);
    }
    const base = { conversationId: built.id, userId: user.id };
    await switchVersion(db(), { ...base, messageId: ids.get("b1") ?? "" });
    return { base, ids };
  }

  it("writes the tree columns as the insert trigger does for the same tree", async () => {
    const { base } = await builtTree();
    const user = { id: base.userId };
    const built = { id: base.conversationId };
    const imported = randomUUID();
    const importedIds = new Map(shape.map(([content]) => [content, randomUUID()]));
    await importConversation(db(), {
      userId: user.id,
      conversation: {
        id: imported,
        title: "tree",
        createdAt: at,
        updatedAt: at,
        messages: shape.map(([content, parent]) =>
          message(
            importedIds.get(content) ?? "",
            content,
            parent ? (importedIds.get(parent) ?? null) : null,
          ),
        ),
        currentLeafId: importedIds.get("c2"),
      },
    });
    const importedTree = await treeOf(db(), imported);
    const appTree = await treeOf(db(), built.id);
    expect(importedTree.messages).toEqual(appTree.messages);
    expect(importedTree.segments).toEqual(appTree.segments);
    expect(importedTree).toMatchObject({ rootCount: 2, lastSequence: 9, currentLeaf: "c2" });
    expect(appTree).toMatchObject({ rootCount: 2, lastSequence: 9 });
    // Paging and switching read it as any other tree.
    const page = await getMessages(db(), { conversationId: imported, userId: user.id });
    expect(page.items.map((m) => m.content)).toEqual(["r", "a1", "b2", "c2"]);
    await switchVersion(db(), {
      conversationId: imported,
      userId: user.id,
      messageId: importedIds.get("a2") ?? "",
    });
    const other = await getMessages(db(), { conversationId: imported, userId: user.id });
    expect(other.items.map((m) => [m.content, m.versionIndex, m.versionCount])).toEqual([
      ["r", 0, 2],
      ["a2", 1, 2],
      ["d2", 0, 1],
    ]);
  });

  it("imports ChatGPT's tree: the current branch is current_node's, and the other version switches in", async () => {
    const user = await makeUser(db());
    const summary = await runImport([sourdoughFile()], {
      userId: user.id,
      limits,
      store: (conversation) => importConversation(db(), { userId: user.id, conversation }),
    });
    expect(summary).toMatchObject({ imported: 2, failedCount: 0 });
    const ids = importIds(user.id);
    const [sourdough] = JSON.parse(sourdoughFile().toString()) as unknown[];
    const mapped = fromChatgpt(sourdough, ids);
    const base = { conversationId: mapped.id, userId: user.id };
    const page = await getMessages(db(), base);
    expect(page.items.map((m) => m.content.slice(0, 14))).toEqual([
      "[image omitted",
      "[code omitted]",
      "Not dead, just",
    ]);
    expect(page.items[0]).toMatchObject({ versionIndex: 1, versionCount: 2, depth: 1 });
    const firstVersion = mapped.messages.find((m) => m.content.includes("nail polish"));
    await switchVersion(db(), { ...base, messageId: firstVersion?.id ?? "" });
    const switched = await getMessages(db(), base);
    expect(switched.items.map((m) => m.content)).toEqual([
      "My starter smells like nail polish. Is it dead?",
    ]);
  });

  it("adds to a conversation imported by the previous release only the branches it dropped", async () => {
    const user = await makeUser(db());
    const ids = importIds(user.id);
    const [sourdough] = JSON.parse(sourdoughFile().toString()) as unknown[];
    const whole = fromChatgpt(sourdough, ids);
    // The previous release: the branch to current_node as a line, with the same ids.
    const line = whole.messages
      .filter((m) => !m.content.includes("nail polish"))
      .map(({ parentId: _parent, ...m }) => m);
    expect(line).toHaveLength(3);
    const previous: ImportConversationInput["conversation"] = { ...whole, messages: line };
    delete previous.currentLeafId;
    expect(await importConversation(db(), { userId: user.id, conversation: previous })).toBe(
      "imported",
    );
    const base = { conversationId: whole.id, userId: user.id };
    const before = (await getMessages(db(), base)).items;

    const store = (conversation: ImportConversationInput["conversation"]) =>
      importConversation(db(), { userId: user.id, conversation });
    // Sourdough gains its dropped version; the haiku is new.
    expect(await runImport([sourdoughFile()], { userId: user.id, limits, store })).toMatchObject({
      imported: 2,
      skipped: 0,
    });
    // The stored branch is untouched and still current; the dropped version follows it.
    expect((await getMessages(db(), base)).items).toEqual(
      before.map((m, i) => (i === 0 ? { ...m, versionCount: 2 } : m)),
    );
    const tree = await treeOf(db(), whole.id);
    expect(tree.messages.map((m) => [m.content.slice(0, 10), m.sequence, m.versionIndex])).toEqual([
      ["[image omi", 1, 0],
      ["[code omit", 2, 0],
      ["Not dead, ", 3, 0],
      ["My starter", 4, 1],
    ]);
    expect(tree).toMatchObject({ rootCount: 2, lastSequence: 4 });

    // A third time: nothing is missing, nothing is written.
    expect(await runImport([sourdoughFile()], { userId: user.id, limits, store })).toMatchObject({
      imported: 0,
      skipped: 2,
    });
    expect((await treeOf(db(), whole.id)).messages).toHaveLength(4);
  });

  it("adds a dropped version under a stored message the person has since continued from", async () => {
    const user = await makeUser(db());
    const say = (role: string, words: string, time: number) => ({
      author: { role },
      create_time: time,
      content: { content_type: "text", parts: [words] },
    });
    // q with two replies; the second is on screen, so the previous release kept q ─ a2.
    const chatgpt = {
      title: "Fork",
      create_time: 1714640400,
      conversation_id: "fork",
      current_node: "a2",
      mapping: {
        q: { parent: null, message: say("user", "question", 1714640401) },
        a1: { parent: "q", message: say("assistant", "first reply", 1714640402) },
        a2: { parent: "q", message: say("assistant", "second reply", 1714640403) },
      },
    };
    const whole = fromChatgpt(chatgpt, importIds(user.id));
    const line = whole.messages
      .filter((m) => m.content !== "first reply")
      .map(({ parentId: _parent, ...m }) => m);
    const previous: ImportConversationInput["conversation"] = { ...whole, messages: line };
    delete previous.currentLeafId;
    await importConversation(db(), { userId: user.id, conversation: previous });
    const base = { conversationId: whole.id, userId: user.id };
    await addMessage(db(), { ...base, id: randomUUID(), role: "user", content: "and then?" });

    const file = new TextEncoder().encode(JSON.stringify([chatgpt]));
    const store = (conversation: ImportConversationInput["conversation"]) =>
      importConversation(db(), { userId: user.id, conversation });
    expect(await runImport([file], { userId: user.id, limits, store })).toMatchObject({
      imported: 1,
    });
    const tree = await treeOf(db(), whole.id);
    expect(
      tree.messages.map((m) => [m.content, m.parent, m.sequence, m.versionIndex, m.children]),
    ).toEqual([
      ["question", null, 1, 0, 2],
      ["second reply", "question", 2, 0, 1],
      ["and then?", "second reply", 3, 0, 0],
      ["first reply", "question", 4, 1, 0],
    ]);
    expect(tree).toMatchObject({ lastSequence: 4, currentLeaf: "and then?" });
    const shown = async () => (await getMessages(db(), base)).items.map((m) => m.content);
    expect(await shown()).toEqual(["question", "second reply", "and then?"]);
    const first = whole.messages.find((m) => m.content === "first reply");
    await switchVersion(db(), { ...base, messageId: first?.id ?? "" });
    expect(await shown()).toEqual(["question", "first reply"]);
  });

  const version = (m: ReturnType<typeof message>, siblingIndex: number) => ({ ...m, siblingIndex });
  it.each([
    ["a parent later in the list", [message("b", "b", "a"), message("a", "a", null)]],
    ["a parent outside the conversation", [message("a", "a", null), message("b", "b", "x")]],
    ["a message its own parent", [message("a", "a", "a")]],
    [
      "two versions with one index",
      [
        message("a", "a", null),
        version(message("b", "b", "a"), 0),
        version(message("c", "c", "a"), 0),
      ],
    ],
    [
      "versions with a gap",
      [
        message("a", "a", null),
        version(message("b", "b", "a"), 0),
        version(message("c", "c", "a"), 2),
      ],
    ],
    ["a current leaf that is no message", [message("a", "a", null)], "x"],
    ["no current leaf", [message("a", "a", null)], null],
  ])("refuses %s and stores nothing", async (_what, list, leaf?: string | null) => {
    const user = await makeUser(db());
    const real = new Map<string, string>();
    const id = (name: string) => {
      if (!real.has(name)) real.set(name, randomUUID());
      return real.get(name) ?? "";
    };
    const conversationId = randomUUID();
    await expect(
      importConversation(db(), {
        userId: user.id,
        conversation: {
          id: conversationId,
          title: null,
          createdAt: at,
          updatedAt: at,
          messages: list.map((m) => ({
            ...m,
            id: id(m.id),
            parentId: m.parentId === null ? null : id(m.parentId),
          })),
          ...(leaf === undefined ? {} : { currentLeafId: leaf === null ? null : id(leaf) }),
        },
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await getConversation(db(), { conversationId, userId: user.id })).toBeNull();
  });

  it("round-trips a tree through the version 2 export: the same tree and current branch", async () => {
    const { base } = await builtTree();
    const other = await makeUser(db());
    const file = bytesOf(chatkeepDocument(readConversation(db(), { ...base, messagePage: 3 }), at));
    const summary = await runImport(file, {
      userId: other.id,
      limits,
      store: (conversation) => importConversation(db(), { userId: other.id, conversation }),
    });
    expect(summary).toMatchObject({ format: "chatkeep", imported: 1, failedCount: 0 });
    const [copy] = await db()
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.userId, other.id));
    const original = await treeOf(db(), base.conversationId);
    expect(original.currentLeaf).toBe("c1");
    expect(await treeOf(db(), copy?.id ?? "")).toEqual(original);
    const shown = await getMessages(db(), { conversationId: copy?.id ?? "", userId: other.id });
    expect(shown.items.map((m) => m.content)).toEqual(["r", "a1", "b1", "c1"]);
  });

  it("exports the current branch alone for reading, page by page", async () => {
    const { base } = await builtTree();
    const chunks = [];
    for await (const chunk of readCurrentBranch(db(), { ...base, messagePage: 3 })) {
      chunks.push(chunk);
    }
    expect(chunks.map((chunk) => chunk.kind)).toEqual(["conversation", "messages", "messages"]);
    expect(
      chunks.flatMap((chunk) =>
        chunk.kind === "messages" ? chunk.messages.map((m) => m.content) : [],
      ),
    ).toEqual(["r", "a1", "b1", "c1"]);
    const stranger = await makeUser(db());
    const foreign = readCurrentBranch(db(), { ...base, userId: stranger.id });
    await expect(foreign.next()).rejects.toBeInstanceOf(NotFoundError);
  });
});

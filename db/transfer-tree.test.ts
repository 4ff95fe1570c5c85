import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeConversation, makeUser } from "@/test/support/factories";
import { treeOf } from "@/test/support/message-tree";
import { fromChatgpt } from "@/transfer/chatgpt";
import { chatkeepDocument } from "@/transfer/export";
import { importIds } from "@/transfer/ids";
import { runImport } from "@/transfer/import";
import {
  addMessage,
  getConversation,
  getMessages,
  importConversation,
  readConversation,
  readCurrentBranch,
  switchVersion,
} from "./index";
import { conversations } from "./schema";

const limits = { maxBytes: 10 * 1024 * 1024, maxConversations: 1000 };

async function* bytesOf(parts: AsyncIterable<string>) {
  const encoder = new TextEncoder();
  for await (const part of parts) yield encoder.encode(part);
}
const sourdoughFile = () =>
  readFileSync(path.resolve("test/fixtures/import/chatgpt-conversations.json"));

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

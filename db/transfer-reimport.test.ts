import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import { treeOf } from "@/test/support/message-tree";
import { fromChatgpt } from "@/transfer/chatgpt";
import { importIds } from "@/transfer/ids";
import { runImport } from "@/transfer/import";
import {
  addMessage,
  getMessages,
  type ImportConversationInput,
  importConversation,
  switchVersion,
} from "./index";

const limits = { maxBytes: 10 * 1024 * 1024, maxConversations: 1000 };
const sourdoughFile = () =>
  readFileSync(path.resolve("test/fixtures/import/chatgpt-conversations.json"));

// Importing a conversation already stored, as a file imported by the release that kept one
// branch is imported again: it gains what it lacks and nothing twice.
describeOnEachDriver("importing a tree into a conversation already stored", (db) => {
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
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { IMPORTED_MESSAGE_MAX_CHARS } from "@/lib/import-limits";
import { MAX_TITLE_CHARS, storedContentSchema } from "@/lib/validation";
import { contentText, fromChatgpt } from "./chatgpt";
import { mappingInTreeOrder } from "./chatgpt-tree";
import { importIds } from "./ids";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.resolve("test/fixtures/import", name), "utf8"));
const [sourdough, haiku] = fixture("chatgpt-conversations.json") as [unknown, unknown];
const ids = importIds("5b9d0c5e-3c1f-4f0e-9a55-2d8e1b7c6a40");

/** A conversation of one user message saying `content`. */
const oneMessage = (content: string) => ({
  title: "One",
  create_time: 1714640400,
  current_node: "n",
  mapping: {
    n: {
      parent: null,
      message: { author: { role: "user" }, content: { content_type: "text", parts: [content] } },
    },
  },
});

describe("the ChatGPT mapping", () => {
  it("keeps every branch, without system, tool and hidden nodes, and current_node's as the current one", () => {
    const conversation = fromChatgpt(sourdough, ids);
    expect(conversation.title).toBe("Sourdough starter help");
    expect(conversation.createdAt.toISOString()).toBe("2024-05-01T08:00:00.123Z");
    expect(conversation.updatedAt.toISOString()).toBe("2024-05-01T09:00:00.500Z");
    expect(conversation.messages.map((m) => [m.role, m.content])).toEqual([
      // Both versions of the edited question, oldest first: node-3a, then node-3b and its branch.
      ["user", "My starter smells like nail polish. Is it dead?"],
      [
        "user",
        "[image omitted]\n\nMy starter smells like acetone. Photo attached. Is it dead?\n\n[attachment omitted: starter.jpg]",
      ],
      // The assistant's call to a tool is kept as a placeholder; the tool's answer is skipped.
      ["assistant", "[code omitted]"],
      ["assistant", "Not dead, just hungry.\n\nFeed it twice a day for a few days."],
    ]);
    const [first, question, toolCall, answer] = conversation.messages;
    // The questions' parents (the root, a system and a hidden node) are skipped: both are roots.
    expect(first?.parentId).toBeNull();
    expect(question?.parentId).toBeNull();
    expect(toolCall?.parentId).toBe(question?.id);
    // The tool node between them is skipped: the answer hangs from the call.
    expect(answer?.parentId).toBe(toolCall?.id);
    expect(conversation.currentLeafId).toBe(answer?.id);
    expect(conversation.messages.map((m) => m.createdAt.toISOString())).toEqual([
      "2024-05-01T08:00:10.000Z",
      "2024-05-01T08:00:20.000Z",
      "2024-05-01T08:00:30.000Z",
      "2024-05-01T08:00:40.000Z",
    ]);
    expect(toolCall?.replyTo).toBe(question?.id);
    expect(answer).toMatchObject({ model: "gpt-4o", finishReason: "stop", status: "complete" });
  });

  it("re-parents through skipped nodes, orders versions by time, and maps a hidden current_node to its nearest kept ancestor", () => {
    const say = (role: string, words: string, time: number, hidden = false) => ({
      author: { role },
      create_time: time,
      content: { content_type: "text", parts: [words] },
      metadata: hidden ? { is_visually_hidden_from_conversation: true } : {},
    });
    const conversation = fromChatgpt(
      {
        title: "Tree",
        create_time: 1714640400,
        current_node: "hidden",
        mapping: {
          root: { parent: null },
          q: { parent: "root", message: say("user", "question", 10) },
          // The later version first in the file (through a system node): versions go by time.
          a2: { parent: "sys", message: say("assistant", "second answer", 30) },
          sys: { parent: "q", message: say("system", "context", 25) },
          a1: { parent: "q", message: say("assistant", "first answer", 20) },
          tool: { parent: "a1", message: say("tool", "result", 21) },
          empty: { parent: "tool", message: say("user", "  ", 22) },
          follow: { parent: "empty", message: say("user", "follow-up", 23) },
          hidden: { parent: "a2", message: say("user", "secret", 31, true) },
        },
      },
      ids,
    );
    const byContent = new Map(conversation.messages.map((m) => [m.content, m]));
    const idOf = (content: string) => byContent.get(content)?.id;
    expect(conversation.messages.map((m) => [m.content, m.parentId])).toEqual([
      ["question", null],
      ["first answer", idOf("question")],
      ["follow-up", idOf("first answer")],
      ["second answer", idOf("question")],
    ]);
    expect(conversation.currentLeafId).toBe(idOf("second answer"));
    expect(byContent.get("second answer")?.replyTo).toBe(idOf("question"));
  });

  it("orders the mapping parents first and refuses a missing parent or a cycle", () => {
    const mapping = {
      c: { parent: "b" },
      b: { parent: "a" },
      a: { parent: null },
      side: { parent: "a" },
    };
    expect(mappingInTreeOrder(mapping).map((node) => node.id)).toEqual(["a", "b", "c", "side"]);
    expect(() => mappingInTreeOrder({ c: { parent: "gone" } })).toThrow(/no node gone/);
    expect(() =>
      mappingInTreeOrder({ r: { parent: null }, a: { parent: "b" }, b: { parent: "a" } }),
    ).toThrow(/cycle/);
    expect(() => mappingInTreeOrder({ a: { parent: "a" } })).toThrow(/cycle/);
    // A chain as deep as a conversation may be long: no recursion to overflow.
    const chain = Object.fromEntries(
      Array.from({ length: 20_000 }, (_, i) => [`n${i}`, { parent: i ? `n${i - 1}` : null }]),
    );
    expect(mappingInTreeOrder(chain).at(-1)?.id).toBe("n19999");
    expect(() => fromChatgpt({ ...oneMessage("hi"), current_node: "gone" }, ids)).toThrow(
      /no node gone/,
    );
  });

  it("derives the same ids from the same source every time, and other ids for another person", () => {
    const again = fromChatgpt(sourdough, ids);
    expect(again.id).toBe(fromChatgpt(sourdough, ids).id);
    expect(again.messages.map((m) => m.id)).toEqual(
      fromChatgpt(sourdough, ids).messages.map((m) => m.id),
    );
    const other = fromChatgpt(sourdough, importIds("0e6f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"));
    expect(other.id).not.toBe(again.id);
    expect(fromChatgpt(haiku, ids).id).not.toBe(again.id);
  });

  it("turns content other than text into one short placeholder line each", () => {
    expect(contentText({ content_type: "text", parts: ["one", "", "two"] })).toBe("one\n\ntwo");
    expect(
      contentText({
        content_type: "multimodal_text",
        parts: [
          { content_type: "audio_transcription", text: "spoken words" },
          { content_type: "audio_asset_pointer" },
          { content_type: "some_future_part" },
        ],
      }),
    ).toBe("spoken words\n\n[audio omitted]\n\n[some_future_part omitted]");
    expect(contentText({ content_type: "execution_output", text: "42" })).toBe(
      "[code output omitted]",
    );
    expect(contentText({ content_type: "<script>" })).toBe("[script omitted]");
    expect(contentText(null)).toBe("[content omitted]");
  });

  it("cuts a message over the stored limit with a visible note, and makes text storable", () => {
    const long = {
      title: "Long",
      create_time: 1714640400,
      current_node: "n",
      mapping: {
        n: {
          parent: null,
          message: {
            author: { role: "user" },
            content: {
              content_type: "text",
              parts: [`nul\u0000 ${"x".repeat(IMPORTED_MESSAGE_MAX_CHARS)}`],
            },
          },
        },
      },
    };
    const [message] = fromChatgpt(long, ids).messages;
    expect(message?.content.length).toBeLessThanOrEqual(IMPORTED_MESSAGE_MAX_CHARS);
    expect(message?.content).toMatch(/\[message truncated: \d+ characters in the original\]$/);
    expect(message?.content.startsWith("nul x")).toBe(true);
  });

  it.each([
    ["", "😀"],
    ["an odd cut: ", "😀"],
    ["", "𝄞x"],
  ])(
    "cuts astral text (%s%s…) by UTF-16 units, as stored, never inside a character",
    (lead, unit) => {
      // Fewer characters than the limit, but more UTF-16 units: counted in code points, the text
      // would be kept whole and then refused by the stored limit, which counts units.
      const original = `${lead}${unit.repeat(Math.ceil(IMPORTED_MESSAGE_MAX_CHARS * 0.6))}`;
      const [message] = fromChatgpt(oneMessage(original), ids).messages;
      const content = message?.content ?? "";
      expect(content.length).toBeLessThanOrEqual(IMPORTED_MESSAGE_MAX_CHARS);
      expect(content.length).toBeGreaterThan(IMPORTED_MESSAGE_MAX_CHARS - 100);
      expect(content).toMatch(
        new RegExp(`\\[message truncated: ${original.length} characters in the original\\]$`),
      );
      expect(/\p{Surrogate}/u.test(content)).toBe(false);
      expect(storedContentSchema.safeParse(content).success).toBe(true);
    },
  );

  it("cuts an astral title by UTF-16 units, never inside a character", () => {
    for (const lead of ["", "a"]) {
      const title = fromChatgpt(
        { ...oneMessage("hi"), title: `${lead}${"😀".repeat(150)}` },
        ids,
      ).title;
      expect(title?.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
      expect(title?.endsWith("😀…")).toBe(true);
      expect(/\p{Surrogate}/u.test(title ?? "")).toBe(false);
    }
  });

  it.each([
    ["its create_time", { create_time: 253402300800 }, /^create_time .*years 1 and 9999/],
    ["its update_time", { update_time: 1e15 }, /^update_time .*years 1 and 9999/],
    ["a message's create_time", { messageTime: 1e300 }, /^node n create_time .*years 1 and 9999/],
  ])("refuses %s past the year 9999, naming the field", (_what, times, reason) => {
    const { messageTime, ...conversationTimes } = times as Record<string, number>;
    const value = oneMessage("hi");
    Object.assign(value, conversationTimes);
    Object.assign(value.mapping.n.message, { create_time: messageTime });
    expect(() => fromChatgpt(value, ids)).toThrow(reason);
  });

  it.each([
    ["not an object", [1, 2]],
    ["without a mapping", { create_time: 1, current_node: "a" }],
    ["without current_node", { create_time: 1, mapping: {} }],
    ["without create_time", { current_node: "a", mapping: { a: { parent: null } } }],
    [
      "with an unknown author role",
      {
        create_time: 1,
        current_node: "a",
        mapping: { a: { parent: null, message: { author: { role: "critic" }, content: {} } } },
      },
    ],
  ])("refuses a conversation %s with a reason", (_what, value) => {
    expect(() => fromChatgpt(value, ids)).toThrow(ValidationError);
  });
});

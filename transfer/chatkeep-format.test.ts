import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { MAX_MESSAGE_CHARS, MAX_STORED_MESSAGE_CHARS } from "@/lib/validation";
import { fromChatkeep } from "./chatkeep-format";
import { importIds } from "./ids";

const ids = importIds("5b9d0c5e-3c1f-4f0e-9a55-2d8e1b7c6a40");

function message(sequence: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `m${sequence}`,
    sequence,
    role: sequence % 2 ? "user" : "assistant",
    content: `message ${sequence}`,
    status: "complete",
    createdAt: "2026-04-30T08:00:00.000Z",
    ...overrides,
  };
}

function conversation(overrides: Record<string, unknown> = {}) {
  return {
    id: "c1",
    title: "Trip  to Lisbon",
    createdAt: "2026-04-30T08:00:00.000Z",
    updatedAt: "2026-04-30T09:00:00.000Z",
    messages: [message(1), message(2)],
    ...overrides,
  };
}

const reason = (value: unknown, version = 1) => {
  try {
    fromChatkeep(value, ids, version);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as Error).message;
  }
  throw new Error("expected an AppError");
};

describe("a Chatkeep export's conversation, version 1 (a line)", () => {
  it("keeps the title as written, orders by sequence and links replies by derived ids", () => {
    const read = fromChatkeep(
      conversation({
        messages: [
          message(2, { replyTo: "m1", usage: { inputTokens: 3, outputTokens: 5 } }),
          message(1),
        ],
      }),
      ids,
      1,
    );
    expect(read.title).toBe("Trip  to Lisbon");
    expect(read.messages.map((m) => m.content)).toEqual(["message 1", "message 2"]);
    expect(read.messages[1]?.replyTo).toBe(read.messages[0]?.id);
    expect(read.messages[1]).toMatchObject({ inputTokens: 3, outputTokens: 5 });
    expect(read.messages[0]?.updatedAt).toEqual(read.messages[0]?.createdAt);
  });

  it("keeps an empty reply (failed before its first word) and turns streaming into interrupted", () => {
    const read = fromChatkeep(
      conversation({
        messages: [
          message(1),
          message(2, { content: "", status: "failed", error: "The model failed" }),
          message(3),
          message(4, { content: "half", status: "streaming" }),
        ],
      }),
      ids,
      1,
    );
    expect(read.messages.map((m) => m.status)).toEqual([
      "complete",
      "failed",
      "complete",
      "interrupted",
    ]);
    expect(read.messages[1]).toMatchObject({ content: "", error: "The model failed" });
  });

  it("accepts a message as long as any the app stores, longer than a person may send", () => {
    const longest = `${"x".repeat(MAX_STORED_MESSAGE_CHARS - 2)}😀`;
    expect(longest).toHaveLength(MAX_STORED_MESSAGE_CHARS);
    expect(MAX_STORED_MESSAGE_CHARS).toBeGreaterThan(MAX_MESSAGE_CHARS);
    const read = fromChatkeep(
      conversation({ messages: [message(1), message(2, { content: longest })] }),
      ids,
      1,
    );
    expect(read.messages[1]?.content).toBe(longest);
  });

  it.each([
    ["an empty user message", { messages: [message(1, { content: " " })] }, /must not be empty/],
    ["a repeated sequence", { messages: [message(1), message(1, { id: "x" })] }, /sequence/],
    ["a repeated id", { messages: [message(1), message(2, { id: "m1" })] }, /repeat an id/],
    ["an unknown role", { messages: [message(1, { role: "system" })] }, /messages\.0\.role/],
    ["a bad date", { createdAt: "yesterday" }, /createdAt must be an ISO 8601 date-time/],
    ["a title with NUL", { title: "a\u0000b" }, /title must not contain NUL/],
    ["a title too long", { title: "t".repeat(201) }, /title/],
    [
      "content too long",
      { messages: [message(1, { content: "x".repeat(MAX_STORED_MESSAGE_CHARS + 1) })] },
      /content must be at most 500000 characters/,
    ],
    ["no messages array", { messages: "none" }, /messages must be an array/],
    // Dates Postgres cannot store, or that would not export back as ISO 8601's four-digit years.
    ["year 0", { createdAt: "0000-01-01T00:00:00Z" }, /^createdAt .*years 1 and 9999/],
    [
      "an offset into year 10000",
      { updatedAt: "9999-12-31T23:00:00-05:00" },
      /^updatedAt .*years 1 and 9999/,
    ],
    [
      "a message in year 0",
      { messages: [message(1, { createdAt: "0000-12-31T23:59:59.999Z" })] },
      /^messages\.0\.createdAt .*years 1 and 9999/,
    ],
  ])("refuses %s, naming the field", (_what, overrides, expected) => {
    expect(reason(conversation(overrides))).toMatch(expected);
  });
});

describe("a Chatkeep export's conversation, version 2 (a tree)", () => {
  /** m1 ─ m2 ─ m3, and m4 another version of m2 (the current branch). */
  const tree = (overrides: Record<string, unknown> = {}) =>
    conversation({
      messages: [
        message(1, { parentId: null, versionIndex: 0 }),
        message(2, { parentId: "m1", versionIndex: 0 }),
        message(3, { parentId: "m2", versionIndex: 0 }),
        message(4, { parentId: "m1", versionIndex: 1 }),
      ],
      currentLeafId: "m4",
      ...overrides,
    });

  it("keeps each message's parent and version, and the current leaf, under derived ids", () => {
    const read = fromChatkeep(tree(), ids, 2);
    const id = (name: string) => ids.message("chatkeep", "c1", name);
    expect(read.messages.map((m) => [m.id, m.parentId, m.siblingIndex])).toEqual([
      [id("m1"), null, 0],
      [id("m2"), id("m1"), 0],
      [id("m3"), id("m2"), 0],
      [id("m4"), id("m1"), 1],
    ]);
    expect(read.currentLeafId).toBe(id("m4"));
  });

  it("numbers versions 0, 1, 2… in the file's order of versionIndex, closing gaps", () => {
    const read = fromChatkeep(
      conversation({
        messages: [
          message(1, { parentId: null, versionIndex: 0 }),
          message(2, { parentId: "m1", versionIndex: 7 }),
          message(3, { parentId: "m1", versionIndex: 2 }),
        ],
        currentLeafId: "m2",
      }),
      ids,
      2,
    );
    expect(read.messages.map((m) => m.siblingIndex)).toEqual([0, 1, 0]);
  });

  it.each([
    [
      "a parent that comes later",
      {
        messages: [
          message(1, { parentId: "m2", versionIndex: 0 }),
          message(2, { parentId: null, versionIndex: 0 }),
        ],
      },
      /^messages\.0\.parentId must be the id of an earlier message/,
    ],
    [
      "a parent in no message",
      { messages: [message(1, { parentId: "elsewhere", versionIndex: 0 })], currentLeafId: "m1" },
      /^messages\.0\.parentId must be the id of an earlier message/,
    ],
    [
      "a message its own parent (a cycle)",
      { messages: [message(1, { parentId: "m1", versionIndex: 0 })], currentLeafId: "m1" },
      /^messages\.0\.parentId must be the id of an earlier message/,
    ],
    [
      "a cycle of two",
      {
        messages: [
          message(1, { parentId: "m2", versionIndex: 0 }),
          message(2, { parentId: "m1", versionIndex: 0 }),
        ],
        currentLeafId: "m2",
      },
      /parentId must be the id of an earlier message/,
    ],
    [
      "two versions with one index",
      {
        messages: [
          message(1, { parentId: null, versionIndex: 0 }),
          message(2, { parentId: "m1", versionIndex: 0 }),
          message(3, { parentId: "m1", versionIndex: 0 }),
        ],
      },
      /^messages\.2\.versionIndex is already another version's/,
    ],
    [
      "a current leaf that is no message",
      { currentLeafId: "m9" },
      /^currentLeafId must be the id of one of/,
    ],
    ["no current leaf", { currentLeafId: null }, /^currentLeafId must be the id of one of/],
    [
      "a negative version index",
      { messages: [message(1, { parentId: null, versionIndex: -1 })] },
      /versionIndex/,
    ],
    [
      "a message without its parent",
      { messages: [message(1, { versionIndex: 0 })] },
      /messages\.0\.parentId/,
    ],
  ])("refuses %s, naming the field", (_what, overrides, expected) => {
    expect(reason(tree(overrides), 2)).toMatch(expected);
  });
});

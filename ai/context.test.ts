import { describe, expect, it } from "vitest";
import { buildContext, estimateTokens, type StoredMessage } from "./context";

// One token per character keeps the budget arithmetic in these tests readable.
const countChars = (text: string) => text.length;

function message(id: string, content: string, role: StoredMessage["role"] = "user"): StoredMessage {
  return { id, role, content };
}

describe("estimateTokens", () => {
  it("is about a token per four characters plus a per-message overhead", () => {
    expect(estimateTokens("")).toBe(4);
    expect(estimateTokens("abcd")).toBe(5);
    expect(estimateTokens("abcde")).toBe(6);
    expect(estimateTokens("x".repeat(400))).toBe(104);
  });
});

describe("buildContext", () => {
  const history = [
    message("m1", "aaaa"),
    message("m2", "bbbbbb", "assistant"),
    message("m3", "cc"),
  ];

  it("returns only the system prompt for an empty history", () => {
    const context = buildContext({
      systemPrompt: "sys",
      history: [],
      budgetTokens: 100,
      countTokens: countChars,
    });
    expect(context).toEqual({ system: "sys", messages: [], includedIds: [], omitted: 0 });
  });

  it("includes everything, oldest first, when it all fits", () => {
    const context = buildContext({
      systemPrompt: "sys",
      history,
      budgetTokens: 100,
      countTokens: countChars,
    });
    expect(context.includedIds).toEqual(["m1", "m2", "m3"]);
    expect(context.messages).toEqual([
      { role: "user", content: "aaaa" },
      { role: "assistant", content: "bbbbbb" },
      { role: "user", content: "cc" },
    ]);
    expect(context.omitted).toBe(0);
  });

  it("includes a message that fits exactly and drops it one token over", () => {
    const exact = 3 + 4 + 6 + 2; // system + m1 + m2 + m3
    const fits = buildContext({
      systemPrompt: "sys",
      history,
      budgetTokens: exact,
      countTokens: countChars,
    });
    expect(fits.includedIds).toEqual(["m1", "m2", "m3"]);

    const oneShort = buildContext({
      systemPrompt: "sys",
      history,
      budgetTokens: exact - 1,
      countTokens: countChars,
    });
    expect(oneShort.includedIds).toEqual(["m2", "m3"]);
    expect(oneShort.omitted).toBe(1);
  });

  it("counts the system prompt against the budget", () => {
    const shortPrompt = buildContext({
      systemPrompt: "s",
      history,
      budgetTokens: 9,
      countTokens: countChars,
    });
    const longPrompt = buildContext({
      systemPrompt: "s".repeat(5),
      history,
      budgetTokens: 9,
      countTokens: countChars,
    });
    expect(shortPrompt.includedIds).toEqual(["m2", "m3"]);
    expect(longPrompt.includedIds).toEqual(["m3"]);
  });

  it("keeps the system prompt even when it alone exceeds the budget", () => {
    const context = buildContext({
      systemPrompt: "a long system prompt",
      history,
      budgetTokens: 5,
      countTokens: countChars,
    });
    expect(context.system).toBe("a long system prompt");
    expect(context.messages).toEqual([]);
    expect(context.omitted).toBe(3);
  });

  it("includes nothing when even the newest message does not fit", () => {
    const context = buildContext({
      systemPrompt: "",
      history: [message("old", "x"), message("new", "y".repeat(50))],
      budgetTokens: 49,
      countTokens: countChars,
    });
    expect(context.messages).toEqual([]);
    expect(context.includedIds).toEqual([]);
    expect(context.omitted).toBe(2);
  });

  it("never splits a message: included content is always the stored content", () => {
    const long = "word ".repeat(40).trim();
    const context = buildContext({
      systemPrompt: "",
      history: [message("long", long), message("short", "hi")],
      budgetTokens: long.length + 1, // room for "hi" and most, but not all, of `long`
      countTokens: countChars,
    });
    expect(context.messages).toEqual([{ role: "user", content: "hi" }]);
  });

  it("stops at the first message that does not fit, so the context is a contiguous suffix", () => {
    const context = buildContext({
      systemPrompt: "",
      history: [
        message("m1", "a"),
        message("m2", "b"),
        message("big", "x".repeat(100)),
        message("m4", "c"),
        message("m5", "d"),
      ],
      budgetTokens: 10, // m1 and m2 would fit too, but only by skipping `big`
      countTokens: countChars,
    });
    expect(context.includedIds).toEqual(["m4", "m5"]);
    expect(context.omitted).toBe(3);
  });

  it("never sends the same message twice, keeping its later position", () => {
    const context = buildContext({
      systemPrompt: "",
      history: [message("m1", "first"), message("m2", "second"), message("m1", "first")],
      budgetTokens: 100,
      countTokens: countChars,
    });
    expect(context.includedIds).toEqual(["m2", "m1"]);
    expect(context.messages.map((m) => m.content)).toEqual(["second", "first"]);
  });

  it("skips messages with empty or blank content without counting them as omitted", () => {
    const context = buildContext({
      systemPrompt: "",
      history: [
        message("m1", "question"),
        message("failed", "", "assistant"),
        message("m3", "again"),
        message("blank", "  \n ", "assistant"),
      ],
      budgetTokens: 100,
      countTokens: countChars,
    });
    expect(context.includedIds).toEqual(["m1", "m3"]);
    expect(context.omitted).toBe(0);
  });

  it("uses estimateTokens when no counter is given", () => {
    const text = "x".repeat(40); // 10 + 4 overhead = 14 tokens
    const history2 = [message("m1", text), message("m2", text)];
    const systemCost = estimateTokens("sys");
    const both = buildContext({
      systemPrompt: "sys",
      history: history2,
      budgetTokens: systemCost + 28,
    });
    const one = buildContext({
      systemPrompt: "sys",
      history: history2,
      budgetTokens: systemCost + 27,
    });
    expect(both.includedIds).toEqual(["m1", "m2"]);
    expect(one.includedIds).toEqual(["m2"]);
  });
});

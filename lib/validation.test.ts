import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TooLargeError, ValidationError } from "./errors";
import {
  emailSchema,
  MAX_MESSAGE_CHARS,
  MAX_STORED_MESSAGE_CHARS,
  messageContentSchema,
  normalizeEmail,
  parseInput,
  storedContentSchema,
  titleSchema,
} from "./validation";

describe("parseInput", () => {
  const schema = z.object({ content: messageContentSchema, title: titleSchema.optional() });

  it("returns the parsed value for good input", () => {
    expect(parseInput(schema, { content: "hi", title: "  Trip  " })).toEqual({
      content: "hi",
      title: "Trip",
    });
  });

  it("names the field in the error message", () => {
    expect(() => parseInput(schema, { content: "" })).toThrow("content must not be empty");
    expect(() => parseInput(schema, { content: "a\u0000" })).toThrow(ValidationError);
    expect(() => parseInput(schema, { content: 5 })).toThrow(ValidationError);
    expect(() => parseInput(schema, null)).toThrow(ValidationError);
  });

  it("tells oversized content (413) from malformed content (400)", () => {
    const tooBig = () => parseInput(schema, { content: "x".repeat(MAX_MESSAGE_CHARS + 1) });
    expect(tooBig).toThrow(TooLargeError);
    try {
      tooBig();
    } catch (error) {
      expect((error as TooLargeError).status).toBe(413);
    }
  });
});

describe("storedContentSchema", () => {
  it("takes content up to MAX_STORED_MESSAGE_CHARS UTF-16 units, and may be empty", () => {
    expect(parseInput(storedContentSchema, "")).toBe("");
    const longest = "😀".repeat(MAX_STORED_MESSAGE_CHARS / 2);
    expect(parseInput(storedContentSchema, longest)).toBe(longest);
    expect(() => parseInput(storedContentSchema, `${longest}x`)).toThrow(TooLargeError);
  });
});

describe("cleanText fields", () => {
  it.each([
    ["a lone high surrogate", "broken \ud800 text"],
    ["a lone low surrogate", "\udc00"],
    ["a pair in the wrong order", "\ude00\ud83d"],
  ])("refuse %s in content, titles and emails", (_what, text) => {
    expect(() => parseInput(messageContentSchema, text)).toThrow(/lone surrogates/);
    expect(() => parseInput(titleSchema, text)).toThrow(/lone surrogates/);
    expect(() => parseInput(emailSchema, `a${text}@example.test`)).toThrow(ValidationError);
  });

  it("keep whole emoji and other astral characters", () => {
    const text = "😀 👩‍👩‍👧‍👦 𝄞";
    expect(parseInput(messageContentSchema, text)).toBe(text);
    expect(parseInput(titleSchema, text)).toBe(text);
  });
});

describe("strict objects", () => {
  it("name the unknown fields", () => {
    const schema = z.strictObject({ content: messageContentSchema });
    expect(() => parseInput(schema, { content: "hi", role: "assistant" })).toThrow(
      "unknown field role",
    );
  });
});

describe("emailSchema", () => {
  it("normalises case and whitespace", () => {
    expect(emailSchema.parse("  Ada@Example.COM ")).toBe("ada@example.com");
  });
  it("rejects what is not an email", () => {
    expect(emailSchema.safeParse("ada").success).toBe(false);
    expect(emailSchema.safeParse("").success).toBe(false);
  });
});

describe("normalizeEmail", () => {
  it("gives GitHub's addresses the form password accounts are stored in", () => {
    expect(normalizeEmail(" Ada.Lovelace@Example.COM")).toBe("ada.lovelace@example.com");
    expect(normalizeEmail("Ada@Example.COM")).toBe(emailSchema.parse("ada@example.com"));
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { ImportReader, type ReadConversation } from "./import-reader";

const fixture = (name: string) => readFileSync(path.resolve("test/fixtures/import", name));
const encode = (text: string) => new TextEncoder().encode(text);

/** Feeds `bytes` in chunks of `size`, as a request body arrives. */
function readAll(bytes: Uint8Array, size = 97, maxDepth?: number) {
  const reader = new ImportReader(maxDepth);
  const read: ReadConversation[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    reader.write(bytes.subarray(start, start + size));
    read.push(...reader.take());
  }
  reader.end();
  read.push(...reader.take());
  return { format: reader.format, read };
}

const failure = (action: () => unknown): string => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error("expected a ValidationError");
};

describe("the import reader", () => {
  it("tells ChatGPT's array from a Chatkeep export and hands out each conversation", () => {
    const chatgpt = readAll(fixture("chatgpt-conversations.json"));
    expect(chatgpt.format).toBe("chatgpt");
    expect(chatgpt.read.map((c) => [c.index, (c.value as { title: string }).title])).toEqual([
      [0, "Sourdough starter help"],
      [1, "Haiku about rain"],
    ]);
    const chatkeep = readAll(fixture("chatkeep-export.json"), 13);
    expect(chatkeep.format).toBe("chatkeep");
    expect(chatkeep.read.map((c) => (c.value as { id: string }).id)).toEqual([
      "0b4c1e2a-5d6f-4a7b-8c9d-0e1f2a3b4c5d",
      "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
    ]);
  });

  it("hands a conversation out as soon as it is complete, before the rest of the file", () => {
    const reader = new ImportReader();
    reader.write(encode('[{"title":"first","mapping":{}},{"title":"sec'));
    expect(reader.take().map((c) => (c.value as { title: string }).title)).toEqual(["first"]);
    reader.write(encode('ond"}]'));
    expect(reader.take()).toHaveLength(1);
    reader.end();
  });

  it.each([
    ["a text file", () => fixture("not-json.txt"), /not valid JSON/],
    ["an object of another shape", () => fixture("wrong-shape.json"), /neither a Chatkeep export/],
    ["a string", () => encode('"conversations"'), /neither a Chatkeep export/],
    ["an empty body", () => encode("  \n"), /empty/],
    ["a truncated export", () => fixture("truncated.json"), /truncated/],
    ["a newer version", () => fixture("future-version.json"), /version 7/],
    [
      "conversations before the format",
      () => encode('{"conversations":[{}],"format":"chatkeep","version":1}'),
      /must come before/,
    ],
    [
      "conversations that are not an array",
      () => encode('{"format":"chatkeep","version":1,"conversations":{"a":{}}}'),
      /must be an array/,
    ],
    ["a trailing comma", () => encode('[{"title":"x"},]'), /not valid JSON/],
    ["a second document", () => encode("[] []"), /not valid JSON/],
    ["bytes that are not UTF-8", () => new Uint8Array([0x5b, 0x22, 0xff, 0x22, 0x5d]), /UTF-8/],
  ])("refuses %s, saying what is wrong", (_what, bytes, message) => {
    expect(failure(() => readAll(bytes()))).toMatch(message);
  });

  it("refuses a nesting bomb at the bracket that goes too deep, before reading the rest", () => {
    const reader = new ImportReader(64);
    const bomb = encode("[".repeat(10_000));
    expect(failure(() => reader.write(bomb))).toMatch(/deeper than 64 levels \(at byte 64\)/);
    // Real content at the limit still reads.
    const deep = `[${"[".repeat(62)}{}${"]".repeat(62)}]`;
    expect(readAll(encode(deep), 50, 64).read).toHaveLength(1);
  });
});

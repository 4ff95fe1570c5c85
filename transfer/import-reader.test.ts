import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TooLargeError, ValidationError } from "@/lib/errors";
import { ImportReader, type ReadConversation, type ReaderLimits } from "./import-reader";

const fixture = (name: string) => readFileSync(path.resolve("test/fixtures/import", name));
const encode = (text: string) => new TextEncoder().encode(text);

/** Feeds `bytes` in chunks of `size`, as a request body arrives. */
function readAll(bytes: Uint8Array, size = 97, limits: number | ReaderLimits = {}) {
  const reader = new ImportReader(typeof limits === "number" ? { maxDepth: limits } : limits);
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
    const reader = new ImportReader({ maxDepth: 64 });
    const bomb = encode("[".repeat(10_000));
    expect(failure(() => reader.write(bomb))).toMatch(/deeper than 64 levels \(at byte 64\)/);
    // Real content at the limit still reads.
    const deep = `[${"[".repeat(62)}{}${"]".repeat(62)}]`;
    expect(readAll(encode(deep), 50, 64).read).toHaveLength(1);
  });

  it("keeps only the fields the importer reads, dropping the rest as it streams", () => {
    const node = (role: string) => ({
      id: "n",
      parent: null,
      children: ["x", "y"],
      message: {
        id: "n",
        author: { role, name: null, metadata: { big: [1, 2, 3] } },
        content: { content_type: "text", parts: ["hi", { content_type: "image", size: 9 }] },
        metadata: { model_slug: "m", citations: [{ a: 1 }], attachments: [{ name: "f", id: 2 }] },
        status: "finished_successfully",
      },
    });
    const file = JSON.stringify([
      {
        title: "T",
        junk: Array.from({ length: 50 }, () => ({})),
        create_time: 1,
        mapping: { n: node("user") },
        safe_urls: ["u"],
        current_node: "n",
      },
    ]);
    const [read] = readAll(encode(file), 7).read;
    expect(read?.value).toEqual({
      title: "T",
      create_time: 1,
      mapping: {
        n: {
          parent: null,
          message: {
            author: { role: "user" },
            content: { content_type: "text", parts: ["hi", { content_type: "image" }] },
            metadata: { model_slug: "m", attachments: [{ name: "f" }] },
          },
        },
      },
      current_node: "n",
    });
    // A Chatkeep export's unknown members, at the top and in conversations, go the same way.
    const chatkeep = `{"format":"chatkeep","version":1,"exportedAt":{"x":[[]]},"conversations":[{"id":"c","extra":[{}],"messages":[{"id":"m","usage":{"inputTokens":1,"cached":2},"x":3}]}],"tail":[1]}`;
    expect(readAll(encode(chatkeep), 5).read[0]?.value).toEqual({
      id: "c",
      messages: [{ id: "m", usage: { inputTokens: 1 } }],
    });
    // Version 2's tree fields are kept, and each conversation says which version it is read as.
    const tree = `{"format":"chatkeep","version":2,"conversations":[{"id":"c","currentLeafId":"m","messages":[{"id":"m","parentId":null,"versionIndex":0,"x":1}]}]}`;
    expect(readAll(encode(tree), 7).read[0]).toMatchObject({
      version: 2,
      value: {
        id: "c",
        currentLeafId: "m",
        messages: [{ id: "m", parentId: null, versionIndex: 0 }],
      },
    });
    expect(readAll(encode(chatkeep)).read[0]?.version).toBe(1);
  });

  it("keeps a read field of the wrong kind empty, so its reader still reports its type", () => {
    const file = `[{"title":{"a":1},"mapping":[1,2,{}],"current_node":["n"],"create_time":{}}]`;
    expect(readAll(encode(file)).read[0]?.value).toEqual({
      title: {},
      mapping: [],
      current_node: [],
      create_time: {},
    });
    // Values where conversations stand are handed out as they are (and fail when mapped).
    expect(readAll(encode(`[1,"two",[3,[4]],null]`)).read.map((c) => c.value)).toEqual([
      1,
      "two",
      [],
      null,
    ]);
  });

  it("checks the JSON it drops as strictly as the JSON it keeps", () => {
    for (const file of [
      `[{"junk":[1,,2],"title":"x"}]`,
      `[{"junk":{"a" 1},"title":"x"}]`,
      `[{"junk":{"a":1,},"title":"x"}]`,
      `[{"junk":[1}]`,
      `{"format":"chatkeep","version":1,"x":[1 2],"conversations":[]}`,
    ]) {
      expect(failure(() => readAll(encode(file)))).toMatch(/not valid JSON/);
    }
  });

  /** A ChatGPT conversation titled `title` whose mapping holds `nodes` nodes. */
  const conversation = (title: string, nodes = 1, padding = "") =>
    `{"title":"${title}","create_time":1,"current_node":"n0",${padding}"mapping":{${Array.from(
      { length: nodes },
      (_, i) => `"n${i}":{"parent":null}`,
    ).join(",")}}}`;

  it("refuses a conversation over the byte limit, with its reason and title, and reads on", () => {
    const padding = `"junk":[${Array(5000).fill("{}").join(",")}],`;
    const file = `[${conversation("small")},${conversation("padded", 1, padding)},${conversation("after")}]`;
    const { read } = readAll(encode(file), 512, { maxConversationBytes: 4096 });
    expect(
      read.map((c) => [c.index, c.refused?.reason ?? (c.value as { title: string }).title]),
    ).toEqual([
      [0, "small"],
      [1, "is larger than 4 KB, the limit for one conversation"],
      [2, "after"],
    ]);
    expect(read[1]?.refused?.title).toBe("padded");
    expect(read[1]?.value).toBeUndefined();
    // Whitespace counts too: it is bytes of the conversation all the same.
    const spaced = `[{"title":"x"${" ".repeat(5000)}}]`;
    expect(readAll(encode(spaced), 512, { maxConversationBytes: 4096 }).read[0]?.refused).toEqual({
      reason: "is larger than 4 KB, the limit for one conversation",
      title: "x",
    });
  });

  it("refuses a conversation with more messages than the limit, and reads on", () => {
    const file = `[${conversation("many", 11)},${conversation("ten", 10)}]`;
    const { read } = readAll(encode(file), 64, { maxConversationMessages: 10 });
    expect(read[0]?.refused?.reason).toBe(
      "has more than 10 messages, the limit for one conversation",
    );
    expect(read[1]?.refused).toBeUndefined();
    // Chatkeep: entries of `messages`.
    const messages = Array.from({ length: 3 }, (_, i) => `{"id":"m${i}"}`).join(",");
    const chatkeep = `{"format":"chatkeep","version":1,"conversations":[{"id":"c","messages":[${messages}]}]}`;
    expect(
      readAll(encode(chatkeep), 64, { maxConversationMessages: 2 }).read[0]?.refused?.reason,
    ).toMatch(/more than 2 messages/);
  });

  it("refuses a conversation whose read fields hold too many tiny values, before building them", () => {
    // 50 values per message allowed: 2 messages allow 100.
    const parts = Array(200).fill("{}").join(",");
    const file = `[{"title":"tiny","mapping":{"n":{"message":{"content":{"parts":[${parts}]}}}}}]`;
    const [read] = readAll(encode(file), 64, { maxConversationMessages: 2 }).read;
    expect(read?.refused).toEqual({
      reason: "holds more than 100 values in the fields imported, the limit for one conversation",
      title: "tiny",
    });
  });

  it("stops at a single string longer than a conversation may be, before holding it", () => {
    const limits = { maxConversationBytes: 4096 };
    for (const value of [`"${"x".repeat(20_000)}"`]) {
      const reader = new ImportReader(limits);
      const bytes = encode(`[{"title":"x","junk":${value}}]`);
      let message = "";
      try {
        for (let start = 0; start < bytes.length; start += 1024) {
          reader.write(bytes.subarray(start, start + 1024));
        }
      } catch (error) {
        expect(error).toBeInstanceOf(TooLargeError);
        message = (error as Error).message;
      }
      expect(message).toMatch(/single value larger than 4 KB \(from byte 21\)/);
    }
  });

  it("stops at a number longer than any export writes, at the first chunk it runs past", () => {
    // The tokenizer parses a partial number whole again at each chunk's end: the reader must
    // not let one grow chunk after chunk.
    const reader = new ImportReader({ maxConversationBytes: 16 * 1024 * 1024 });
    const bytes = encode(`[{"title":"x","junk":${"1".repeat(100_000)}}]`);
    let chunksWritten = 0;
    let message = "";
    try {
      for (let start = 0; start < bytes.length; start += 50) {
        chunksWritten += 1;
        reader.write(bytes.subarray(start, start + 50));
      }
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/number longer than 64 characters \(at byte 21\)/);
    // The number starts at byte 21: by the end of the second chunk, 79 of its digits are read.
    expect(chunksWritten).toBe(2);
  });

  it("reads ordinary numbers split across chunks", () => {
    const { read } = readAll(encode(`[{"create_time":1714640400.123456,"n":-12.5e3}]`), 7);
    expect(read[0]?.value).toMatchObject({ create_time: 1714640400.123456 });
  });
});

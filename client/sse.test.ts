import { describe, expect, it } from "vitest";
import { readJsonEvents, SseParser } from "./sse";

function streamOf(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

async function collect(parts: string[]): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const value of readJsonEvents(streamOf(parts))) values.push(value);
  return values;
}

describe("SseParser", () => {
  it("returns the data of each event closed by a blank line", () => {
    const parser = new SseParser();
    expect(parser.push('data: {"a":1}\n\ndata: {"b":2}\n\n')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("keeps an event split across pushes until it is complete", () => {
    const parser = new SseParser();
    expect(parser.push('data: {"a"')).toEqual([]);
    expect(parser.push(":1}\n")).toEqual([]);
    expect(parser.push("\n")).toEqual(['{"a":1}']);
  });

  it("handles CRLF, including a CR and LF split between pushes", () => {
    const parser = new SseParser();
    expect(parser.push("data: x\r")).toEqual([]);
    expect(parser.push("\n\r\n")).toEqual(["x"]);
  });

  it("joins multi-line data and skips comments and other fields", () => {
    const parser = new SseParser();
    expect(parser.push(": keep-alive\nevent: message\nid: 3\ndata: one\ndata:two\n\n")).toEqual([
      "one\ntwo",
    ]);
  });

  it("flushes an unterminated event at the end", () => {
    const parser = new SseParser();
    expect(parser.push("data: last")).toEqual([]);
    expect(parser.end()).toEqual(["last"]);
  });
});

describe("readJsonEvents", () => {
  it("yields parsed JSON, skipping [DONE] and malformed data", async () => {
    const values = await collect([
      'data: {"type":"start"}\n\n',
      "data: not json\n\n",
      'data: {"type":"text-delta","delta":"héllo"}\n\n',
      "data: [DONE]\n\n",
    ]);
    expect(values).toEqual([{ type: "start" }, { type: "text-delta", delta: "héllo" }]);
  });

  it("decodes a multi-byte character split between chunks", async () => {
    const bytes = new TextEncoder().encode('data: {"d":"é"}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 12));
        controller.enqueue(bytes.slice(12));
        controller.close();
      },
    });
    const values: unknown[] = [];
    for await (const value of readJsonEvents(stream)) values.push(value);
    expect(values).toEqual([{ d: "é" }]);
  });
});

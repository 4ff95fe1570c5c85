import { describe, expect, it } from "vitest";
import { readJsonEvents } from "@/client/sse";
import { closingChunks, openingChunks, type ReplyBatch, textChunk } from "@/lib/reply-stream";
import { replyEventStream } from "./reply-sse";

const meta = { replyId: "r1", status: "streaming" as const, sequence: 2, model: "offline" };

function batches(...items: ReplyBatch[]): ReadableStream<ReplyBatch> {
  return new ReadableStream({
    start(controller) {
      for (const item of items) controller.enqueue(item);
      controller.close();
    },
  });
}

async function pieces(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const decoder = new TextDecoder();
  const out: string[] = [];
  for await (const piece of stream) out.push(decoder.decode(piece));
  return out;
}

describe("replyEventStream", () => {
  const reply: ReplyBatch[] = [
    [...openingChunks(meta), textChunk("Hello")],
    [textChunk(", world")],
    closingChunks({ ...meta, status: "complete" }),
  ];

  it("writes each batch as one piece, with [DONE] in the piece that finishes", async () => {
    const written = await pieces(replyEventStream(batches(...reply)));
    expect(written).toHaveLength(3);
    expect(written[0]?.match(/^data: /gm)).toHaveLength(3);
    expect(
      written[2]?.endsWith(
        '"type":"finish","messageMetadata":{"replyId":"r1","status":"complete","sequence":2,"model":"offline"}}\n\ndata: [DONE]\n\n',
      ),
    ).toBe(true);
  });

  it("is read back by the browser's parser as the same chunks, in order", async () => {
    const read: unknown[] = [];
    for await (const event of readJsonEvents(replyEventStream(batches(...reply)))) read.push(event);
    expect(read).toEqual(reply.flat());
  });

  it("passes over empty batches instead of stalling on them", async () => {
    // Every batch is already queued, so the whole stream is written before the next macrotask
    // unless it stalls: an empty batch used to end a pull without writing, and nothing ever
    // pulled again.
    const [first, second, closing] = reply;
    const written = pieces(
      replyEventStream(batches([], first ?? [], [], [], second ?? [], closing ?? [])),
    );
    const stalled = new Promise<"stalled">((resolve) => setImmediate(() => resolve("stalled")));
    const outcome = await Promise.race([written, stalled]);
    expect(outcome).not.toBe("stalled");
    expect(outcome).toHaveLength(3);
    expect(outcome.at(-1)?.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("still ends with [DONE] when the stream closes without a finish", async () => {
    const written = await pieces(replyEventStream(batches([...openingChunks(meta)])));
    expect(written.at(-1)).toBe("data: [DONE]\n\n");
  });
});

import type { ReplyBatch } from "@/lib/reply-stream";

// The wire format of the AI SDK's UI message streams (what `createUIMessageStreamResponse`
// writes, and what client/sse.ts reads): one `data:` event per chunk, `[DONE]` at the end.
export const REPLY_STREAM_HEADERS = {
  "content-type": "text/event-stream",
  // `no-transform` keeps the server's own gzip (and any proxy's) off the stream: compressing
  // small events flushed one by one costs more CPU than the rest of the reply's path, and a
  // compressing intermediary may hold events back.
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-vercel-ai-ui-message-stream": "v1",
  // nginx: pass events on as they come.
  "x-accel-buffering": "no",
} as const;

const DONE = "data: [DONE]\n\n";
const encoder = new TextEncoder();

function encodeBatch(batch: ReplyBatch): string {
  let text = "";
  for (const chunk of batch) text += `data: ${JSON.stringify(chunk)}\n\n`;
  return text;
}

/**
 * A reply's batches as Server-Sent Events bytes, one piece per batch, so each batch reaches the
 * socket in one write. Read on demand: a slow reader holds the reply's batches back in its own
 * queue, not here.
 */
export function replyEventStream(batches: ReadableStream<ReplyBatch>): ReadableStream<Uint8Array> {
  const reader = batches.getReader();
  let ended = false;
  return new ReadableStream<Uint8Array>({
    // Every pull ends by writing or closing: a pull that returns with neither is never followed
    // by another, and the response would hang. So an empty batch is passed over, not returned on.
    async pull(controller) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          if (!ended) controller.enqueue(encoder.encode(DONE));
          controller.close();
          return;
        }
        if (value.length === 0) continue;
        // A reply's last batch ends with `finish`: `[DONE]` goes in the same write.
        ended = value.at(-1)?.type === "finish";
        controller.enqueue(encoder.encode(encodeBatch(value) + (ended ? DONE : "")));
        return;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

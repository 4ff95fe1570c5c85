// Stand-ins for what the browser's conversation modules talk to: the pending store, stored
// messages as the API sends them, and reply streams as SSE responses.
import type { MessageJson } from "@/client/messages";
import type { PendingRecord, PendingStore } from "@/client/pending-store";

export const REPLY_ID = "22222222-2222-4222-8222-222222222222";

export function memoryPendingStore(
  initial: PendingRecord[] = [],
): PendingStore & { records: PendingRecord[] } {
  const store = {
    records: [...initial],
    load: () => [...store.records],
    save: (records: readonly PendingRecord[]) => {
      store.records = [...records];
    },
  };
  return store;
}

export function storedMessage(
  id: string,
  sequence: number,
  extra: Partial<MessageJson> = {},
): MessageJson {
  return {
    id,
    role: "user",
    content: id,
    sequence,
    status: "complete",
    model: null,
    error: null,
    createdAt: "2025-01-01T00:00:00.000Z",
    // A straight conversation: one version of each message, depth equal to sequence.
    depth: sequence,
    versionIndex: 0,
    versionCount: 1,
    ...extra,
  };
}

/** An SSE response carrying `chunks`; without `done` it ends as a dropped connection would. */
export function sseResponse(chunks: unknown[], { done = true } = {}): Response {
  const body = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("");
  return new Response(done ? `${body}data: [DONE]\n\n` : body, {
    status: 200,
    headers: { "content-type": "text/event-stream" },
  });
}

/** A whole reply stream: start, `text`, finish with `status`. */
export function replyStream(
  text: string,
  sequence = 2,
  status = "complete",
  replyId = REPLY_ID,
): Response {
  const meta = { replyId, status: "streaming", sequence, model: "offline" };
  return sseResponse([
    { type: "start", messageId: replyId, messageMetadata: meta },
    { type: "text-start", id: "text" },
    { type: "text-delta", id: "text", delta: text },
    { type: "text-end", id: "text" },
    { type: "finish", messageMetadata: { ...meta, status } },
  ]);
}

/** A reply stream cut off after its start and `text`: no finish. */
export function brokenReplyStream(text: string, sequence = 2): Response {
  const meta = { replyId: REPLY_ID, status: "streaming", sequence, model: "offline" };
  return sseResponse(
    [
      { type: "start", messageId: REPLY_ID, messageMetadata: meta },
      { type: "text-delta", id: "text", delta: text },
    ],
    { done: false },
  );
}

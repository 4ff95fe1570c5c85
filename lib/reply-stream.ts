import type { UIMessageChunk } from "ai";

// The shape of a reply on the wire, shared by the server that streams it and the browser that
// reads it: AI SDK UI message chunks, with the reply's stored state as message metadata.

export type ReplyStatus = "streaming" | "complete" | "stopped" | "failed" | "interrupted";

export interface ReplyMetadata {
  replyId: string;
  status: ReplyStatus;
  sequence?: number;
  model?: string | null;
  /** The endpoint `model` is reached through (an AI_ENDPOINTS id, `default`, `offline`). */
  endpoint?: string | null;
}

export type ReplyChunk = UIMessageChunk<ReplyMetadata>;

/**
 * The chunks that became available together. A reply streams as batches so that each batch is
 * one write to the socket: a write is a system call, and a turn's start (`start`, `text-start`,
 * the first words) or end (`text-end`, `finish`) would otherwise cost one each.
 */
export type ReplyBatch = ReplyChunk[];

export const TEXT_PART_ID = "text";

export function openingChunks(meta: ReplyMetadata): ReplyChunk[] {
  return [
    { type: "start", messageId: meta.replyId, messageMetadata: meta },
    { type: "text-start", id: TEXT_PART_ID },
  ];
}

export function textChunk(delta: string): ReplyChunk {
  return { type: "text-delta", id: TEXT_PART_ID, delta };
}

export function closingChunks(meta: ReplyMetadata, error?: string | null): ReplyChunk[] {
  const chunks: ReplyChunk[] = [{ type: "text-end", id: TEXT_PART_ID }];
  if (meta.status === "failed")
    chunks.push({ type: "error", errorText: error ?? "The reply failed" });
  chunks.push({ type: "finish", messageMetadata: meta });
  return chunks;
}

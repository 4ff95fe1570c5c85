import "server-only";
import { type Database, getOwnMessage, type StoredMessage } from "@/db";
import { serverEnv } from "@/lib/env";
import {
  closingChunks,
  openingChunks,
  type ReplyChunk,
  type ReplyMetadata,
  textChunk,
} from "@/lib/reply-stream";
import { claimFollowerSlot } from "./follower-slots";

// A follower gives up on a reply that shows no progress for this long (its server is stuck
// but still renewing the lease); the browser can reconnect.
const MAX_SILENCE_MS = 10 * 60_000;

/**
 * A stored reply as UI message chunks: its text so far, then, while it is still streaming, what
 * its generating server checkpoints, read by polling the row. Works on any instance, with the
 * database alone, whichever server is generating the reply.
 */
export function followReply(db: Database, userId: string, reply: StoredMessage) {
  const env = serverEnv();
  const pollMs = env.RESUME_POLL_MS;
  // Before anything is sent, so that one too many is a plain 429.
  const release = claimFollowerSlot(userId, env.MAX_FOLLOWERS_PER_USER);
  let progressAt = Date.now();
  let sent = "";
  let opened = false;
  let current: StoredMessage | null = reply;

  const metadata = (row: StoredMessage): ReplyMetadata => ({
    replyId: row.id,
    status: row.status,
    sequence: row.sequence,
    model: row.model,
  });

  return new ReadableStream<ReplyChunk>({
    async pull(controller) {
      try {
        await step(controller);
      } catch (error) {
        release();
        throw error;
      }
    },
    // The browser went away.
    cancel: release,
  });

  async function step(controller: ReadableStreamDefaultController<ReplyChunk>) {
    if (opened) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      current = await getOwnMessage(db, { userId, messageId: reply.id });
    }
    const row = current;
    const chunks: ReplyChunk[] = opened ? [] : openingChunks(metadata(reply));
    opened = true;
    if (!row) {
      // Deleted meanwhile (the conversation was deleted): end the stream cleanly.
      chunks.push(...closingChunks({ ...metadata(reply), status: "stopped" }));
    } else {
      // A regenerated reply starts over: what was sent cannot be taken back, so the stream
      // ends here and the browser reloads the message.
      const replaced = !row.content.startsWith(sent);
      if (!replaced && row.content.length > sent.length) {
        chunks.push(textChunk(row.content.slice(sent.length)));
        sent = row.content;
        progressAt = Date.now();
      }
      const silent = Date.now() - progressAt > MAX_SILENCE_MS;
      if (replaced || silent || row.status !== "streaming") {
        chunks.push(...closingChunks(metadata(row), row.error));
      }
    }
    for (const chunk of chunks) controller.enqueue(chunk);
    if (chunks.some((chunk) => chunk.type === "finish")) {
      controller.close();
      release();
    }
  }
}

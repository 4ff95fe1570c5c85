import "server-only";
import type { Database, StoredMessage } from "@/db";
import {
  closingChunks,
  openingChunks,
  type ReplyBatch,
  type ReplyChunk,
  type ReplyMetadata,
  textChunk,
} from "@/lib/reply-stream";
import { serverEnv } from "@/server/env";
import { claimFollowerSlot } from "./follower-slots";
import { replyWatcher } from "./reply-watcher";

// A follower gives up on a reply that shows no progress for this long (its server is stuck
// but still renewing the lease); the browser can reconnect.
const MAX_SILENCE_MS = 10 * 60_000;

const metadata = (row: StoredMessage): ReplyMetadata => ({
  replyId: row.id,
  status: row.status,
  sequence: row.sequence,
  model: row.model,
  endpoint: row.endpoint,
});

/**
 * A stored reply as UI message chunks: its text so far, then, while it is still streaming, what
 * its generating server checkpoints, as read by this instance's reply watcher (one poll per
 * tick for all followed replies). Works on any instance, with the database alone, whichever
 * server is generating the reply. `reply` must come from an ownership-checked read.
 */
export function followReply(
  db: Database,
  userId: string,
  reply: StoredMessage,
): ReadableStream<ReplyBatch> {
  const env = serverEnv();
  // Before anything is sent, so that one too many is a plain 429.
  const release = claimFollowerSlot(userId, env.MAX_FOLLOWERS_PER_USER);
  let unwatch = () => {};
  let ended = false;
  const end = () => {
    ended = true;
    unwatch();
    release();
  };

  return new ReadableStream<ReplyBatch>({
    start(controller) {
      let sent = "";
      let progressAt = Date.now();
      /** Sends what `row` adds (after `before`, the opening); true when the stream has ended. */
      const deliver = (row: StoredMessage | null, before: ReplyChunk[] = []): boolean => {
        const chunks = before;
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
        if (chunks.length > 0) controller.enqueue(chunks);
        const finished = chunks.some((chunk) => chunk.type === "finish");
        if (finished) {
          controller.close();
          end();
        }
        return finished;
      };

      if (deliver(reply, openingChunks(metadata(reply)))) return;
      unwatch = replyWatcher(db, env.RESUME_POLL_MS).watch(userId, reply.id, (row, error) => {
        if (ended) return;
        if (error !== undefined) {
          end();
          controller.error(error);
          return;
        }
        deliver(row);
      });
    },
    // The browser went away.
    cancel: end,
  });
}

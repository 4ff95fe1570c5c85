import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, getOwnMessage } from "@/db";
import type { ReplyBatch } from "@/lib/reply-stream";
import { openTestDatabase } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import { regenerateReply, sendMessage } from "./index";

// Read lazily on first use: a reply long enough to look at while it is being generated.
const WORDS = 30;
process.env.OFFLINE_MODEL_REPLY_WORDS = String(WORDS);
process.env.OFFLINE_MODEL_TOKEN_DELAY_MS = "10";

/** Whether `promise` has settled, after letting pending callbacks run. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

/** Reads the stream's opening for the reply's id, then goes away as a closed browser tab does. */
async function replyIdThenLeave(stream: ReadableStream<ReplyBatch>): Promise<string> {
  const reader = stream.getReader();
  const { value } = await reader.read();
  await reader.cancel();
  for (const chunk of value ?? []) {
    if (chunk.type === "start" && chunk.messageId) return chunk.messageId;
  }
  throw new Error("the stream did not open with a start chunk");
}

// What a route hands to `after()`: the generation, not the response. The flow's logic does not
// depend on the driver (the repository functions it calls are tested on all three); Postgres is
// the quickest of them to open.
describe("the generation a request starts (ServedReply.generated)", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase("pg");
  });
  afterAll(async () => {
    await handle.close();
  });

  async function send(userId: string, conversationId: string, messageId: string) {
    return sendMessage(handle.db, {
      userId,
      conversationId,
      message: { id: messageId, content: "Keep going without me" },
    });
  }

  it("settles only once the reply is stored, long after its browser went away", async () => {
    const user = await makeUser(handle.db);
    const served = await send(user.id, randomUUID(), randomUUID());
    const replyId = await replyIdThenLeave(served.stream);
    const read = () => getOwnMessage(handle.db, { userId: user.id, messageId: replyId });

    expect((await read())?.status).toBe("streaming");
    expect(await hasSettled(served.generated)).toBe(false);

    await served.generated;
    const stored = await read();
    expect(stored?.status).toBe("complete");
    expect(stored?.content.split(/\s+/)).toHaveLength(WORDS);
  });

  it("is settled at once for a resend, which follows the reply instead of generating it", async () => {
    const user = await makeUser(handle.db);
    const conversationId = randomUUID();
    const messageId = randomUUID();
    const first = await send(user.id, conversationId, messageId);
    const again = await send(user.id, conversationId, messageId);
    expect(await hasSettled(again.generated)).toBe(true);
    expect(await hasSettled(first.generated)).toBe(false);
    await again.stream.cancel();
    await first.stream.cancel();
    await first.generated;
  });

  it("covers a regenerated reply's generation too", async () => {
    const user = await makeUser(handle.db);
    const conversationId = randomUUID();
    const first = await send(user.id, conversationId, randomUUID());
    const replyId = await replyIdThenLeave(first.stream);
    await first.generated;

    const newReplyId = randomUUID();
    const again = await regenerateReply(handle.db, {
      userId: user.id,
      conversationId,
      replyId,
      newReplyId,
    });
    await again.stream.cancel();
    expect(await hasSettled(again.generated)).toBe(false);
    await again.generated;
    const stored = await getOwnMessage(handle.db, { userId: user.id, messageId: newReplyId });
    expect(stored?.status).toBe("complete");
    expect(stored?.content.split(/\s+/)).toHaveLength(WORDS);
    // The version it was regenerated from is kept as it was.
    const old = await getOwnMessage(handle.db, { userId: user.id, messageId: replyId });
    expect(old?.content.split(/\s+/)).toHaveLength(WORDS);

    // Asking again with the same new id starts no second generation.
    const repeat = await regenerateReply(handle.db, {
      userId: user.id,
      conversationId,
      replyId,
      newReplyId,
    });
    expect(await hasSettled(repeat.generated)).toBe(true);
    await repeat.stream.cancel();
  });
});

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { aiEnv } from "@/ai/model-env";
import { resolveModel } from "@/ai/provider";
import { finishReply, getOwnMessage, startContinue, startTurn, stopReply } from "@/db";
import type { ReplyBatch } from "@/lib/reply-stream";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import { loadContext } from "./model-context";
import { ReplyRun } from "./reply-run";

// Read lazily by serverEnv(): checkpoints often enough to watch within a short reply, and a
// reply cap that a quick offline reply goes past (the 40-word ones stay well under it).
process.env.REPLY_CHECKPOINT_MS = "50";
const CAP = 1000;
process.env.REPLY_MAX_CHARS = String(CAP);

const WORDS = 40;
const model = resolveModel(
  aiEnv({ OFFLINE_MODEL_REPLY_WORDS: String(WORDS), OFFLINE_MODEL_TOKEN_DELAY_MS: "15" }),
);
// About 3,000 characters, written as fast as the model can.
const longModel = resolveModel(
  aiEnv({ OFFLINE_MODEL_REPLY_WORDS: "500", OFFLINE_MODEL_TOKEN_DELAY_MS: "0" }),
);

describe("ReplyRun", () => {
  describeOnEachDriver("generating a reply", (db) => {
    async function startRun(
      lease = { owner: `test-${randomUUID()}`, ms: 10_000 },
      replyModel = model,
    ) {
      const user = await makeUser(db());
      const turn = await startTurn(db(), {
        userId: user.id,
        conversationId: randomUUID(),
        message: { id: randomUUID(), content: "Checkpoint me" },
        replyId: randomUUID(),
        lease,
      });
      const reply = turn.reply;
      if (!reply) throw new Error("no reply row");
      const context = await loadContext(db(), {
        userId: user.id,
        conversationId: reply.conversationId,
        replyId: reply.id,
        systemPrompt: replyModel.systemPrompt,
        budgetTokens: replyModel.contextTokens,
      });
      const run = new ReplyRun(db(), reply, lease, replyModel, context);
      const read = () => getOwnMessage(db(), { userId: user.id, messageId: reply.id });
      return { run, read, user, reply, context, lease };
    }

    const streamedText = async (stream: ReadableStream<ReplyBatch>) => {
      let text = "";
      for await (const batch of stream) {
        for (const chunk of batch) if (chunk.type === "text-delta") text += chunk.delta;
      }
      return text;
    };

    it("checkpoints the text while it streams and stores the whole reply at the end", async () => {
      const { run, read } = await startRun();
      await new Promise((resolve) => setTimeout(resolve, 250));
      const midway = await read();
      expect(midway?.status).toBe("streaming");
      const words = midway?.content.trim().split(/\s+/).length ?? 0;
      expect(words).toBeGreaterThan(0);
      expect(words).toBeLessThan(WORDS);
      const done = await run.done;
      expect(done).toMatchObject({ status: "complete", model: "offline", finishReason: "stop" });
      expect(done?.content.startsWith(midway?.content ?? "-")).toBe(true);
      expect(done?.content.split(/\s+/)).toHaveLength(WORDS);
    });

    it("keeps generating when the listener goes away", async () => {
      const { run } = await startRun();
      const reader = run.stream().getReader();
      await reader.read();
      await reader.cancel();
      const done = await run.done;
      expect(done?.status).toBe("complete");
      expect(done?.content.split(/\s+/)).toHaveLength(WORDS);
    });

    it("stops at the next checkpoint after a stop from anywhere, keeping the text", async () => {
      const { run, user, reply } = await startRun();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await stopReply(db(), { userId: user.id, conversationId: reply.conversationId });
      const done = await run.done;
      expect(done?.status).toBe("stopped");
      const words = done?.content.trim().split(/\s+/).length ?? 0;
      expect(words).toBeGreaterThan(0);
      expect(words).toBeLessThan(WORDS);
    });

    it("streams the stored start, then the live rest, to a listener", async () => {
      const { run } = await startRun();
      const chunks = [];
      for await (const batch of run.stream()) chunks.push(...batch);
      const text = chunks.map((c) => (c.type === "text-delta" ? c.delta : "")).join("");
      expect(chunks[0]).toMatchObject({ type: "start", messageMetadata: { status: "streaming" } });
      expect(chunks.at(-1)).toMatchObject({
        type: "finish",
        messageMetadata: { status: "complete" },
      });
      expect((await run.done)?.content).toBe(text);
    });

    it("stops at REPLY_MAX_CHARS: complete, finishReason length, text cut at the cap", async () => {
      const { run, read } = await startRun(undefined, longModel);
      const streamed = streamedText(run.stream());
      const done = await run.done;
      expect(done).toMatchObject({ status: "complete", finishReason: "length" });
      expect(done?.content).toHaveLength(CAP);
      expect(await streamed).toBe(done?.content);
      expect((await read())?.content).toBe(done?.content);
    });

    it("continues a reply under the cap only up to the cap", async () => {
      const { run, user, reply, context } = await startRun();
      await run.done;
      const lease = { owner: `test-${randomUUID()}`, ms: 10_000 };
      const existing = {
        userId: user.id,
        conversationId: reply.conversationId,
        replyId: reply.id,
        lease,
      };
      const continueUnderCap = () => startContinue(db(), { ...existing, maxChars: CAP });
      // A reply stopped 100 characters short of the cap.
      const partial = "y".repeat(CAP - 100);
      await startContinue(db(), existing);
      await finishReply(db(), {
        replyId: reply.id,
        lease,
        content: partial,
        outcome: { status: "stopped" },
      });
      const continued = new ReplyRun(db(), await continueUnderCap(), lease, longModel, context);
      const done = await continued.done;
      expect(done).toMatchObject({ status: "complete", finishReason: "length" });
      expect(done?.content).toHaveLength(CAP);
      expect(done?.content.startsWith(partial)).toBe(true);
      // At the cap, there is nothing left to continue.
      await expect(continueUnderCap()).rejects.toThrow(/reached the length limit/);
    });
  });
});

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { aiEnv } from "@/ai/env";
import { resolveModel } from "@/ai/provider";
import { getOwnMessage, startTurn, stopReply } from "@/db";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import { loadContext } from "./history";
import { ReplyRun } from "./reply-run";

// Read lazily by serverEnv(): checkpoints often enough to watch within a short reply.
process.env.REPLY_CHECKPOINT_MS = "50";

const WORDS = 40;
const model = resolveModel(
  aiEnv({ OFFLINE_MODEL_REPLY_WORDS: String(WORDS), OFFLINE_MODEL_TOKEN_DELAY_MS: "15" }),
);

describe("ReplyRun", () => {
  describeOnEachDriver("generating a reply", (db) => {
    async function startRun(lease = { owner: `test-${randomUUID()}`, ms: 10_000 }) {
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
        beforeSequence: reply.sequence,
        systemPrompt: model.systemPrompt,
        budgetTokens: model.contextTokens,
      });
      const run = new ReplyRun(db(), reply, lease, model, context);
      const read = () => getOwnMessage(db(), { userId: user.id, messageId: reply.id });
      return { run, read, user, reply };
    }

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
  });
});

import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { aiEnv } from "@/ai/model-env";
import { resolveModel } from "@/ai/provider";
import type { Database, StoredMessage } from "@/db";
import { ReplyRun } from "./reply-run";

// How ReplyRun schedules its writes and its chunks, against a stand-in for the repository whose
// speed the test controls; the real statements are tested on every driver in
// db/replies.test.ts.
const repository = vi.hoisted(() => ({
  checkpoints: [] as Array<{ content: string | undefined; startedAt: number }>,
  inFlight: 0,
  maxInFlight: 0,
  checkpointMs: 0,
  finishedAfterCheckpoints: true,
}));

vi.mock("@/db", () => ({
  async checkpointReply(_db: unknown, input: { content?: string }) {
    repository.checkpoints.push({ content: input.content, startedAt: Date.now() });
    repository.inFlight++;
    repository.maxInFlight = Math.max(repository.maxInFlight, repository.inFlight);
    await new Promise((resolve) => setTimeout(resolve, repository.checkpointMs));
    repository.inFlight--;
    return true;
  },
  async finishReply(_db: unknown, input: { content: string }) {
    repository.finishedAfterCheckpoints = repository.inFlight === 0;
    return { ...reply, content: input.content, status: "complete" };
  },
}));

process.env.REPLY_CHECKPOINT_MS = "50";

const reply: StoredMessage = {
  id: randomUUID(),
  conversationId: randomUUID(),
  role: "assistant",
  content: "",
  sequence: 2,
  status: "streaming",
  finishReason: null,
  model: null,
  endpoint: null,
  inputTokens: null,
  outputTokens: null,
  error: null,
  replyTo: randomUUID(),
  createdAt: new Date(),
  updatedAt: new Date(),
};

function run(words: number, tokenDelayMs: number) {
  const model = resolveModel(
    aiEnv({
      OFFLINE_MODEL_REPLY_WORDS: String(words),
      OFFLINE_MODEL_TOKEN_DELAY_MS: String(tokenDelayMs),
    }),
  );
  const context = {
    system: "Be brief.",
    messages: [{ role: "user" as const, content: "Hi" }],
    includedIds: [],
    omitted: 0,
  };
  const lease = { owner: "test", ms: 10_000 };
  return new ReplyRun({} as Database, reply, lease, model, context);
}

afterEach(() => {
  repository.checkpoints = [];
  repository.maxInFlight = 0;
  repository.finishedAfterCheckpoints = true;
});

describe("ReplyRun checkpoints", () => {
  it("skips ticks while a checkpoint is in flight instead of queueing them", async () => {
    // The database takes six intervals per write; the reply streams for about a second.
    repository.checkpointMs = 300;
    const replyRun = run(40, 25);
    let lastWordAt = 0;
    for await (const batch of replyRun.stream()) {
      if (batch.some((chunk) => chunk.type === "text-delta")) lastWordAt = Date.now();
    }
    const done = await replyRun.done;
    expect(done?.status).toBe("complete");
    expect(repository.maxInFlight).toBe(1);
    // A queue would still be writing stale checkpoints, one per 50 ms tick, long after the
    // model's last word; skipping leaves at most the tick that was already due.
    const late = repository.checkpoints.filter((checkpoint) => checkpoint.startedAt > lastWordAt);
    expect(late.length).toBeLessThanOrEqual(1);
    expect(repository.finishedAfterCheckpoints).toBe(true);
  });

  it("renews only the lease while the text has not changed", async () => {
    repository.checkpointMs = 0;
    // Words 200 ms apart: several 50 ms ticks see the same text.
    const done = await run(3, 200).done;
    const sent = repository.checkpoints.map((checkpoint) => checkpoint.content);
    expect(sent).toContain(undefined);
    const texts = sent.filter((content) => content !== undefined);
    // Each text is written once, and each one extends the one before.
    expect(new Set(texts).size).toBe(texts.length);
    for (let i = 1; i < texts.length; i++) {
      expect(texts[i]?.startsWith(texts[i - 1] ?? "-")).toBe(true);
    }
    expect(done?.content.startsWith(texts.at(-1) ?? "-")).toBe(true);
  });
});

describe("ReplyRun listeners", () => {
  const textOf = (chunks: Array<{ type: string; delta?: string }>) =>
    chunks.map((chunk) => (chunk.type === "text-delta" ? chunk.delta : "")).join("");

  it("sends text in batches: fewer chunks than words, every word once, the first at once", async () => {
    repository.checkpointMs = 0;
    // Forty words 5 ms apart: eight of them fall in each 40 ms batch.
    const replyRun = run(40, 5);
    const early: Array<{ type: string; delta?: string }> = [];
    const earlyReading = (async () => {
      for await (const batch of replyRun.stream()) early.push(...batch);
    })();
    // A second listener joins mid-reply: it gets what was sent so far, then the rest.
    await new Promise((resolve) => setTimeout(resolve, 70));
    const late: Array<{ type: string; delta?: string }> = [];
    for await (const batch of replyRun.stream()) late.push(...batch);
    await earlyReading;
    const done = await replyRun.done;
    const deltas = early.filter((chunk) => chunk.type === "text-delta");
    expect(textOf(early)).toBe(done?.content);
    expect(textOf(late)).toBe(done?.content);
    expect(done?.content.trim().split(/\s+/)).toHaveLength(40);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.length).toBeLessThan(20);
  });
});

import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { describeOnEachDriver } from "@/test/support/databases";
import { countMessages, makeUser } from "@/test/support/factories";
import {
  checkpointReply,
  finishReply,
  getConversation,
  getLiveReply,
  getMessages,
  getOwnMessage,
  getOwnMessages,
  hitRateLimit,
  startContinue,
  startRegenerate,
  startTurn,
  stopReply,
} from "./index";
import { messages } from "./schema";

const lease = { owner: "server-a", ms: 60_000 };

type ReopenInput = {
  userId: string;
  conversationId: string;
  replyId: string;
  lease: { owner: string; ms: number };
};

describeOnEachDriver("replies", (db) => {
  async function newTurn(
    userId: string,
    conversationId: string = randomUUID(),
    content = "Hello?",
  ) {
    return startTurn(db(), {
      userId,
      conversationId,
      message: { id: randomUUID(), content },
      replyId: randomUUID(),
      lease,
    });
  }

  async function expireLease(replyId: string) {
    await db()
      .update(messages)
      .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(messages.id, replyId));
  }

  it("stores the conversation, the message and an empty streaming reply in one turn", async () => {
    const alice = await makeUser(db());
    const turn = await newTurn(alice.id);
    expect(turn.created).toBe(true);
    expect(turn.userMessage).toMatchObject({ role: "user", sequence: 1, content: "Hello?" });
    expect(turn.reply).toMatchObject({
      role: "assistant",
      sequence: 2,
      content: "",
      status: "streaming",
      replyTo: turn.userMessage.id,
    });
    const convo = await getConversation(db(), {
      conversationId: turn.userMessage.conversationId,
      userId: alice.id,
    });
    expect(convo?.title).toBe("Hello?");
  });

  it("answers a resent message with what was stored, writing nothing", async () => {
    const alice = await makeUser(db());
    const first = await newTurn(alice.id);
    const again = await startTurn(db(), {
      userId: alice.id,
      conversationId: first.userMessage.conversationId,
      message: { id: first.userMessage.id, content: first.userMessage.content },
      replyId: randomUUID(),
      lease,
    });
    expect(again.created).toBe(false);
    expect(again.reply?.id).toBe(first.reply?.id);
    expect(await countMessages(db(), first.userMessage.conversationId)).toBe(2);
    await expect(
      startTurn(db(), {
        userId: alice.id,
        conversationId: first.userMessage.conversationId,
        message: { id: first.userMessage.id, content: "edited" },
        replyId: randomUUID(),
        lease,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("recognises a resend whatever the case of its UUIDs", async () => {
    const alice = await makeUser(db());
    const first = await newTurn(alice.id);
    const again = await startTurn(db(), {
      userId: alice.id,
      conversationId: first.userMessage.conversationId.toUpperCase(),
      message: { id: first.userMessage.id.toUpperCase(), content: first.userMessage.content },
      replyId: randomUUID(),
      lease,
    });
    expect(again.created).toBe(false);
    expect(again.reply?.id).toBe(first.reply?.id);
  });

  it("refuses a message id already used in another conversation, storing nothing", async () => {
    const alice = await makeUser(db());
    const first = await newTurn(alice.id);
    const conversationId = randomUUID();
    await expect(
      startTurn(db(), {
        userId: alice.id,
        conversationId,
        message: { id: first.userMessage.id, content: first.userMessage.content },
        replyId: randomUUID(),
        lease,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await getConversation(db(), { conversationId, userId: alice.id })).toBeNull();
  });

  it("refuses a second turn while a reply is live, storing nothing", async () => {
    const alice = await makeUser(db());
    const first = await newTurn(alice.id);
    const conversationId = first.userMessage.conversationId;
    await expect(newTurn(alice.id, conversationId, "Me too")).rejects.toBeInstanceOf(ConflictError);
    expect(await countMessages(db(), conversationId)).toBe(2);
  });

  it("lets only one of two concurrent turns start a reply", async () => {
    const alice = await makeUser(db());
    const first = await newTurn(alice.id);
    const conversationId = first.userMessage.conversationId;
    await finishReply(db(), {
      replyId: first.reply?.id ?? "",
      lease,
      content: "done",
      outcome: { status: "complete" },
    });
    const results = await Promise.allSettled([
      newTurn(alice.id, conversationId, "one"),
      newTurn(alice.id, conversationId, "two"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const page = await getMessages(db(), { conversationId, userId: alice.id });
    expect(page.items.map((m) => m.sequence)).toEqual([1, 2, 3, 4]);
  });

  it("never starts a turn in someone else's conversation", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const first = await newTurn(alice.id);
    const conversationId = first.userMessage.conversationId;
    await expect(newTurn(bob.id, conversationId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(stopReply(db(), { userId: bob.id, conversationId })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(getLiveReply(db(), { userId: bob.id, conversationId })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await getOwnMessage(db(), { userId: bob.id, messageId: first.reply?.id ?? "" })).toBe(
      null,
    );
    expect(await countMessages(db(), conversationId)).toBe(2);
  });

  it("checkpoints text under the lease and finishes with how it ended", async () => {
    const alice = await makeUser(db());
    const { reply } = await newTurn(alice.id);
    const replyId = reply?.id ?? "";
    expect(await checkpointReply(db(), { replyId, lease, content: "Hel" })).toBe(true);
    expect(
      await checkpointReply(db(), {
        replyId,
        lease: { ...lease, owner: "server-b" },
        content: "X",
      }),
    ).toBe(false);
    expect((await getOwnMessage(db(), { userId: alice.id, messageId: replyId }))?.content).toBe(
      "Hel",
    );
    // With no text, a checkpoint renews the lease and leaves the stored text alone.
    await expireLease(replyId);
    expect(await checkpointReply(db(), { replyId, lease })).toBe(true);
    expect(await getOwnMessage(db(), { userId: alice.id, messageId: replyId })).toMatchObject({
      status: "streaming",
      content: "Hel",
    });
    const done = await finishReply(db(), {
      replyId,
      lease,
      content: "Hello there",
      outcome: {
        status: "complete",
        finishReason: "stop",
        model: "llama3.1:8b",
        endpoint: "ollama",
        outputTokens: 2,
      },
    });
    expect(done).toMatchObject({ status: "complete", content: "Hello there", outputTokens: 2 });
    // Which model wrote it, and through which endpoint, stay with the reply.
    expect(await getOwnMessage(db(), { userId: alice.id, messageId: replyId })).toMatchObject({
      model: "llama3.1:8b",
      endpoint: "ollama",
    });
    expect(await checkpointReply(db(), { replyId, lease, content: "late" })).toBe(false);
  });

  it("stops a live reply, keeps its text, and lets its server write the last words", async () => {
    const alice = await makeUser(db());
    const { reply, userMessage } = await newTurn(alice.id);
    const replyId = reply?.id ?? "";
    const conversationId = userMessage.conversationId;
    await checkpointReply(db(), { replyId, lease, content: "Partial" });
    const stopped = await stopReply(db(), { userId: alice.id, conversationId });
    expect(stopped).toMatchObject({ id: replyId, status: "stopped", content: "Partial" });
    expect(await checkpointReply(db(), { replyId, lease, content: "Partial text" })).toBe(false);
    const final = await finishReply(db(), {
      replyId,
      lease,
      content: "Partial text",
      outcome: { status: "complete" },
    });
    expect(final).toMatchObject({
      status: "stopped",
      content: "Partial text",
      finishReason: "stopped",
    });
    expect(await stopReply(db(), { userId: alice.id, conversationId })).toBeNull();
    expect(await getLiveReply(db(), { userId: alice.id, conversationId })).toBeNull();
  });

  it("treats a reply whose lease ran out as interrupted and lets a new turn start", async () => {
    const alice = await makeUser(db());
    const { reply, userMessage } = await newTurn(alice.id);
    const conversationId = userMessage.conversationId;
    await checkpointReply(db(), { replyId: reply?.id ?? "", lease, content: "Half an ans" });
    await expireLease(reply?.id ?? "");
    expect(await getLiveReply(db(), { userId: alice.id, conversationId })).toBeNull();
    const next = await newTurn(alice.id, conversationId, "Still there?");
    expect(next.created).toBe(true);
    const page = await getMessages(db(), { conversationId, userId: alice.id });
    expect(page.items.map((m) => [m.sequence, m.status, m.content])).toEqual([
      [1, "complete", "Hello?"],
      [2, "interrupted", "Half an ans"],
      [3, "complete", "Still there?"],
      [4, "streaming", ""],
    ]);
  });

  it("continues an interrupted reply from its text, or regenerates it empty", async () => {
    const alice = await makeUser(db());
    const { reply, userMessage } = await newTurn(alice.id);
    const replyId = reply?.id ?? "";
    const conversationId = userMessage.conversationId;
    await checkpointReply(db(), { replyId, lease, content: "Half" });
    await expireLease(replyId);
    const newLease = { owner: "server-b", ms: 60_000 };
    const continued = await startContinue(db(), {
      userId: alice.id,
      conversationId,
      replyId,
      lease: newLease,
    });
    expect(continued).toMatchObject({ status: "streaming", content: "Half", sequence: 2 });
    const regenerate = (target: string) =>
      startRegenerate(db(), {
        userId: alice.id,
        conversationId,
        replyId: target,
        newReplyId: randomUUID(),
        lease,
      });
    await expect(regenerate(replyId)).rejects.toBeInstanceOf(ConflictError);
    await finishReply(db(), {
      replyId,
      lease: newLease,
      content: "Half and whole",
      outcome: { status: "complete" },
    });
    const { reply: version } = await regenerate(replyId);
    expect(version).toMatchObject({ status: "streaming", content: "", sequence: 3 });
    // The version it replaces keeps its text.
    expect(await getOwnMessage(db(), { userId: alice.id, messageId: replyId })).toMatchObject({
      content: "Half and whole",
      status: "complete",
    });
    await expect(regenerate(userMessage.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses to continue a reply already at the length cap, writing nothing; regenerating is fine", async () => {
    const alice = await makeUser(db());
    const { reply, userMessage } = await newTurn(alice.id);
    const replyId = reply?.id ?? "";
    const conversationId = userMessage.conversationId;
    const atCap = "x".repeat(1000);
    await finishReply(db(), {
      replyId,
      lease,
      content: atCap,
      outcome: { status: "complete", finishReason: "length" },
    });
    const existing = { userId: alice.id, conversationId, replyId, lease };
    const continueUnder = (maxChars: number) => startContinue(db(), { ...existing, maxChars });
    await expect(continueUnder(1000)).rejects.toThrow(
      new ConflictError(
        "This reply has reached the length limit (1,000 characters) and cannot be continued",
      ),
    );
    expect(await getOwnMessage(db(), { userId: alice.id, messageId: replyId })).toMatchObject({
      status: "complete",
      finishReason: "length",
      content: atCap,
    });
    // One unit short of the cap is where a cap inside an emoji stops a reply: also refused.
    await expect(continueUnder(1001)).rejects.toBeInstanceOf(ConflictError);
    // Under a larger cap (raised since) it continues; regenerating starts a new version empty.
    expect(await continueUnder(1002)).toMatchObject({ status: "streaming", content: atCap });
    await finishReply(db(), { replyId, lease, content: atCap, outcome: { status: "complete" } });
    const regenerated = await startRegenerate(db(), { ...existing, newReplyId: randomUUID() });
    expect(regenerated.reply).toMatchObject({ status: "streaming", content: "" });
  });

  it.each([
    [
      "regenerate",
      (input: ReopenInput) => startRegenerate(db(), { ...input, newReplyId: randomUUID() }),
    ],
    ["continue", (input: ReopenInput) => startContinue(db(), input)],
  ] as const)(
    "lets only one of several concurrent %s calls start a reply run",
    async (_, start) => {
      const alice = await makeUser(db());
      const { reply, userMessage } = await newTurn(alice.id);
      const replyId = reply?.id ?? "";
      const conversationId = userMessage.conversationId;
      await finishReply(db(), {
        replyId,
        lease,
        content: "An answer",
        outcome: { status: "complete" },
      });
      const owners = ["b", "c", "d", "e"].map((name) => `server-${name}`);
      const results = await Promise.allSettled(
        owners.map((owner) =>
          start({
            userId: alice.id,
            conversationId,
            replyId,
            lease: { owner, ms: 60_000 },
          }),
        ),
      );
      const won = results.filter((result) => result.status === "fulfilled");
      const lost = results.filter((result) => result.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(owners.length - 1);
      for (const loss of lost) expect(loss.reason).toBeInstanceOf(ConflictError);
      // Only the winner holds a lease: the losers' checkpoints are refused.
      const live = await getLiveReply(db(), { userId: alice.id, conversationId });
      const winner = owners[results.findIndex((result) => result.status === "fulfilled")] ?? "";
      for (const owner of owners) {
        expect(
          await checkpointReply(db(), {
            replyId: live?.id ?? "",
            lease: { owner, ms: 60_000 },
            content: "x",
          }),
        ).toBe(owner === winner);
      }
    },
  );

  it("refuses a streaming reply without a lease: it could never be settled", async () => {
    const alice = await makeUser(db());
    const { reply } = await newTurn(alice.id);
    await expect(
      db()
        .update(messages)
        .set({ leaseExpiresAt: null })
        .where(eq(messages.id, reply?.id ?? "")),
    ).rejects.toThrow();
    const stored = await getOwnMessage(db(), { userId: alice.id, messageId: reply?.id ?? "" });
    expect(stored?.status).toBe("streaming");
  });

  it("reads many messages at once, each only for its own user", async () => {
    const alice = await makeUser(db());
    const bob = await makeUser(db());
    const mine = await newTurn(alice.id);
    const his = await newTurn(bob.id);
    const rows = await getOwnMessages(db(), [
      { userId: alice.id, messageId: mine.reply?.id ?? "" },
      { userId: alice.id, messageId: his.reply?.id ?? "" },
      { userId: bob.id, messageId: his.userMessage.id },
      { userId: bob.id, messageId: randomUUID() },
    ]);
    expect(rows.map((row) => row.id).sort()).toEqual([mine.reply?.id, his.userMessage.id].sort());
    await expect(getOwnMessages(db(), [])).rejects.toBeInstanceOf(ValidationError);
  });

  it("rejects malformed turns and writes nothing", async () => {
    const alice = await makeUser(db());
    const conversationId = randomUUID();
    const base = { userId: alice.id, conversationId, replyId: randomUUID(), lease };
    for (const message of [
      { id: randomUUID(), content: "" },
      { id: randomUUID(), content: "a\u0000" },
      { id: "nope", content: "fine" },
    ]) {
      await expect(startTurn(db(), { ...base, message })).rejects.toBeInstanceOf(ValidationError);
    }
    expect(await getConversation(db(), { conversationId, userId: alice.id })).toBeNull();
  });

  it("counts rate-limit hits per key and window across calls", async () => {
    const key = `test:${randomUUID()}`;
    const results = [];
    for (let i = 0; i < 4; i++)
      results.push(await hitRateLimit(db(), { key, limit: 3, windowMs: 60_000 }));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]?.retryAfterMs).toBeGreaterThan(0);
    expect(results[3]?.retryAfterMs).toBeLessThanOrEqual(60_000);
    const other = await hitRateLimit(db(), { key: `${key}:other`, limit: 3, windowMs: 60_000 });
    expect(other.allowed).toBe(true);
  });
});

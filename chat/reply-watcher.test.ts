import { randomUUID } from "node:crypto";
import { expect, it, vi } from "vitest";
import * as repository from "@/db";
import { type StoredMessage, startTurn } from "@/db";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import { ReplyWatcher } from "./reply-watcher";

vi.mock("@/db", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db")>();
  return { ...actual, getOwnMessages: vi.fn(actual.getOwnMessages) };
});

describeOnEachDriver("ReplyWatcher", (db) => {
  async function liveReply(userId: string) {
    const turn = await startTurn(db(), {
      userId,
      conversationId: randomUUID(),
      message: { id: randomUUID(), content: "Watch me" },
      replyId: randomUUID(),
      lease: { owner: "elsewhere", ms: 60_000 },
    });
    if (!turn.reply) throw new Error("no reply");
    return turn.reply;
  }

  it("polls once per tick for all followers of all replies, whatever their number", async () => {
    const alice = await makeUser(db());
    const [first, second] = [await liveReply(alice.id), await liveReply(alice.id)];
    const watcher = new ReplyWatcher(db(), 100);
    const polls = vi.mocked(repository.getOwnMessages);
    polls.mockClear();
    const seen: Array<Array<StoredMessage | null>> = [];
    const stops = Array.from({ length: 101 }, (_, i) => {
      const rows: Array<StoredMessage | null> = [];
      seen.push(rows);
      return watcher.watch(alice.id, (i === 0 ? second : first).id, (row) => rows.push(row));
    });
    expect(watcher.size).toBe(2);
    await vi.waitFor(() => expect(seen[0]?.length).toBeGreaterThanOrEqual(3), {
      timeout: 10_000,
    });
    for (const stop of stops) stop();
    expect(watcher.size).toBe(0);
    // Every listener heard every poll, and each poll was one statement for both replies.
    const calls = polls.mock.calls.length;
    expect(seen.every((rows) => rows.length === calls)).toBe(true);
    for (const [, pairs] of polls.mock.calls) expect(pairs).toHaveLength(2);
    expect(seen[1]?.[0]).toMatchObject({ id: first.id, status: "streaming" });
    expect(seen[0]?.[0]).toMatchObject({ id: second.id, status: "streaming" });
    // No more polls once nobody watches.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(polls.mock.calls.length).toBe(calls);
  });

  it("tells a follower of someone else's reply that there is nothing there", async () => {
    const alice = await makeUser(db());
    const mallory = await makeUser(db());
    const reply = await liveReply(alice.id);
    const watcher = new ReplyWatcher(db(), 50);
    const rows: Array<StoredMessage | null> = [];
    const stop = watcher.watch(mallory.id, reply.id, (row) => rows.push(row));
    await vi.waitFor(() => expect(rows.length).toBeGreaterThan(0), { timeout: 10_000 });
    stop();
    expect(rows[0]).toBeNull();
  });
});

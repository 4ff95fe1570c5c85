import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryPendingStore, storedMessage } from "@/test/support/conversation-fakes";
import { ApiError } from "../api";
import { type ChatMessage, fromJson } from "../messages";
import type { PendingRecord } from "../pending-store";
import { Outbox } from "./outbox";
import { openingSnapshot, SnapshotStore } from "./snapshot-store";

function setup(options: { records?: PendingRecord[]; messages?: ChatMessage[] } = {}) {
  const store = memoryPendingStore(options.records);
  const view = new SnapshotStore(openingSnapshot(options.messages ?? [], { hasMore: false }));
  const host = {
    open: true,
    delivered: [] as string[],
    rejected: [] as string[],
    sessionExpired: 0,
    repliesInProgress: 0,
  };
  const outbox = new Outbox(store, view, {
    canSend: () => host.open,
    deliver: (message) => {
      host.delivered.push(message.content);
      // The controller takes the one request slot until it reports back.
      host.open = false;
      outbox.sending(message);
    },
    onRejected: (error) => host.rejected.push(error),
    onSessionExpired: () => host.sessionExpired++,
    onReplyInProgress: () => host.repliesInProgress++,
  });
  /** The controller reports back and frees the slot. */
  const answer = (report: () => void) => {
    host.open = true;
    report();
  };
  const pending = (content: string) =>
    view.messages.find((message) => message.content === content)?.pending;
  const idOf = (content: string) =>
    view.messages.find((message) => message.content === content)?.id ?? "";
  return { store, view, host, outbox, answer, pending, idOf };
}

const refusal = (status: number, retryAfterMs: number | null = null) =>
  new ApiError(status, "code", `refused with ${status}`, retryAfterMs);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("Outbox", () => {
  it("keeps a new message in the list and the pending store, and sends the oldest first", () => {
    const { store, view, host, outbox, pending } = setup();
    host.open = false;
    outbox.add("first");
    outbox.add("second");
    expect(store.records.map((record) => record.content)).toEqual(["first", "second"]);
    expect(view.messages.map((message) => [message.content, message.sequence])).toEqual([
      ["first", null],
      ["second", null],
    ]);
    expect(pending("first")).toEqual({ state: "queued", attempts: 0, error: null });

    outbox.pump();
    expect(host.delivered).toEqual([]);
    host.open = true;
    outbox.pump();
    expect(host.delivered).toEqual(["first"]);
    expect(pending("first")?.state).toBe("sending");
  });

  it("forgets an acknowledged message and sends the next one", () => {
    const { store, host, outbox, answer, pending, idOf } = setup();
    outbox.add("first");
    outbox.add("second");
    outbox.pump();
    answer(() => outbox.acknowledge(idOf("first")));
    expect(pending("first")).toBeUndefined();
    expect(store.records.map((record) => record.content)).toEqual(["second"]);
    outbox.pump();
    expect(host.delivered).toEqual(["first", "second"]);
  });

  it("retries a message that got no answer after a back-off, with the same id", () => {
    const { host, outbox, answer, pending, idOf } = setup();
    outbox.add("hello");
    outbox.pump();
    const id = idOf("hello");
    answer(() => outbox.unanswered(id, "Could not reach the server"));
    expect(pending("hello")).toEqual({
      state: "failed",
      attempts: 1,
      error: "Could not reach the server",
    });
    vi.advanceTimersByTime(700);
    expect(host.delivered).toHaveLength(1);
    vi.advanceTimersByTime(600);
    expect(host.delivered).toHaveLength(2);
    expect(idOf("hello")).toBe(id);
  });

  it("sends at once when the network is back or the person asks", () => {
    const { host, outbox, answer, idOf } = setup();
    outbox.add("hello");
    outbox.pump();
    answer(() => outbox.unanswered(idOf("hello"), "offline"));
    outbox.clearBackoff();
    outbox.pump();
    expect(host.delivered).toHaveLength(2);
    answer(() => outbox.unanswered(idOf("hello"), "offline"));
    outbox.retry(idOf("hello"));
    expect(host.delivered).toHaveLength(3);
  });

  it("gives up on a 4xx for good, keeping the text marked as refused", () => {
    const { store, host, outbox, answer, pending, idOf } = setup();
    outbox.add("bad");
    outbox.add("good");
    outbox.pump();
    answer(() => outbox.refused(idOf("bad"), refusal(400)));
    expect(pending("bad")).toEqual({ state: "rejected", attempts: 1, error: "refused with 400" });
    expect(store.records[0]).toMatchObject({ content: "bad", rejected: "refused with 400" });
    expect(host.rejected).toEqual(["refused with 400"]);
    // The refused message no longer holds up the queue.
    expect(host.delivered).toEqual(["bad", "good"]);
  });

  it("waits as long as Retry-After says on a 429 or a 5xx", () => {
    const { host, outbox, answer, pending, idOf } = setup();
    outbox.add("hello");
    outbox.pump();
    answer(() => outbox.refused(idOf("hello"), refusal(503, 5_000)));
    expect(pending("hello")?.state).toBe("failed");
    vi.advanceTimersByTime(4_900);
    expect(host.delivered).toHaveLength(1);
    vi.advanceTimersByTime(200);
    expect(host.delivered).toHaveLength(2);
    answer(() => outbox.refused(idOf("hello"), refusal(429, 2_000)));
    vi.advanceTimersByTime(2_100);
    expect(host.delivered).toHaveLength(3);
  });

  it("on a 401 reports the ended session and waits for the person to retry", () => {
    const { host, outbox, answer, idOf } = setup();
    outbox.add("hello");
    outbox.pump();
    answer(() => outbox.refused(idOf("hello"), refusal(401)));
    expect(host.sessionExpired).toBe(1);
    vi.advanceTimersByTime(10 * 60_000);
    expect(host.delivered).toHaveLength(1);
    outbox.retry(idOf("hello"));
    expect(host.delivered).toHaveLength(2);
  });

  it("on a 409 waits for the reply in progress, and gives up after five in a row", () => {
    const { host, outbox, answer, pending, idOf } = setup();
    outbox.add("hello");
    for (let conflict = 1; conflict < 5; conflict++) {
      outbox.retry(idOf("hello"));
      answer(() => outbox.refused(idOf("hello"), refusal(409)));
      expect(pending("hello")).toEqual({
        state: "queued",
        attempts: conflict,
        error: "Waiting for the reply in progress",
      });
    }
    expect(host.repliesInProgress).toBe(4);
    outbox.retry(idOf("hello"));
    answer(() => outbox.refused(idOf("hello"), refusal(409)));
    expect(pending("hello")?.state).toBe("rejected");
    expect(host.delivered).toHaveLength(5);
  });

  it("brings back what a previous visit left unsent, dropping what the page shows stored", () => {
    const { store, view, outbox } = setup({
      messages: [fromJson(storedMessage("acked", 1))],
      records: [
        { id: "acked", content: "acked", createdAt: "2025-01-01T00:00:00.000Z" },
        { id: "unsent", content: "unsent", createdAt: "2025-01-01T00:00:01.000Z" },
        {
          id: "refused",
          content: "refused",
          createdAt: "2025-01-01T00:00:02.000Z",
          rejected: "too long",
        },
      ],
    });
    expect(outbox.restore()).toBe(true);
    expect(store.records.map((record) => record.id)).toEqual(["unsent", "refused"]);
    expect(view.messages.map((message) => [message.id, message.pending?.state])).toEqual([
      ["acked", undefined],
      ["unsent", "queued"],
      ["refused", "rejected"],
    ]);
    expect(setup().outbox.restore()).toBe(false);
  });

  it("treats stored copies read from the server as acknowledgements", () => {
    const { store, host, outbox, idOf } = setup();
    host.open = false;
    outbox.add("hello");
    outbox.add("other");
    outbox.acknowledgeStored([fromJson(storedMessage(idOf("hello"), 3))]);
    expect(store.records.map((record) => record.content)).toEqual(["other"]);
  });

  it("queues again a message stopped before any answer, and sends it shortly after", () => {
    const { host, outbox, answer, pending, idOf } = setup();
    outbox.add("hello");
    outbox.pump();
    answer(() => outbox.stoppedBeforeAnswer(idOf("hello")));
    expect(pending("hello")).toEqual({ state: "queued", attempts: 0, error: null });
    outbox.pump();
    expect(host.delivered).toHaveLength(1);
    vi.advanceTimersByTime(1_600);
    expect(host.delivered).toHaveLength(2);
  });

  it("discards a refused message from the list and the store", () => {
    const { store, view, outbox, answer, idOf } = setup();
    outbox.add("bad");
    outbox.pump();
    answer(() => outbox.refused(idOf("bad"), refusal(413)));
    outbox.discard(idOf("bad"));
    expect(view.messages).toEqual([]);
    expect(store.records).toEqual([]);
  });

  it("on dispose puts a message being sent back in the queue, quietly", () => {
    const { store, view, outbox, pending } = setup();
    outbox.add("hello");
    outbox.pump();
    const listener = vi.fn();
    view.subscribe(listener);
    outbox.dispose();
    expect(pending("hello")?.state).toBe("queued");
    expect(listener).not.toHaveBeenCalled();
    expect(store.records).toHaveLength(1);
  });
});

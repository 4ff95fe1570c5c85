import { describe, expect, it, vi } from "vitest";
import { REPLY_ID, storedMessage } from "@/test/support/conversation-fakes";
import { ApiError, type MessagePage } from "../api";
import { type ChatMessage, fromJson, type MessageJson } from "../messages";
import { HistoryWindow, type PageRequest } from "./history-window";
import { openingSnapshot, SnapshotStore } from "./snapshot-store";

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) =>
    storedMessage(`m${from + index}`, from + index),
  );

function setup(
  messages: MessageJson[],
  window: { hasMore: boolean; hasNewer?: boolean },
  pages: (request: PageRequest) => MessagePage | Promise<MessagePage>,
) {
  const view = new SnapshotStore(openingSnapshot(messages.map(fromJson), window));
  const source = vi.fn(async (request: PageRequest) => pages(request));
  const host = { live: null as string | null, stored: [] as string[], reachedEnd: 0 };
  const history = new HistoryWindow(view, source, {
    liveReplyId: () => host.live,
    onStored: (stored) => host.stored.push(...stored.map((message) => message.id)),
    onReachedEnd: () => host.reachedEnd++,
  });
  const sequences = () => view.messages.map((message) => message.sequence);
  return { view, source, host, history, sequences };
}

const unsent: ChatMessage = {
  ...fromJson(storedMessage("unsent", 1)),
  sequence: null,
  pending: { state: "queued", attempts: 0, error: null },
};

describe("HistoryWindow", () => {
  it("loads the page before the oldest message held, until there is none", async () => {
    const { view, source, history, sequences } = setup(range(51, 60), { hasMore: true }, () => ({
      items: range(1, 50),
      hasMore: false,
    }));
    await history.loadOlder();
    expect(source).toHaveBeenCalledWith({ before: 51, limit: 50 });
    expect(sequences()).toEqual(range(1, 60).map((message) => message.sequence));
    expect(view.getSnapshot()).toMatchObject({ hasMore: false, older: "idle" });
    await history.loadOlder();
    expect(source).toHaveBeenCalledTimes(1);
  });

  it("knows there is nothing before sequence 1 without asking", async () => {
    const { view, source, history } = setup(range(1, 3), { hasMore: true }, () => {
      throw new Error("not asked");
    });
    await history.loadOlder();
    expect(source).not.toHaveBeenCalled();
    expect(view.getSnapshot().hasMore).toBe(false);
  });

  it("shows a failed page as an error, and keeps what it holds", async () => {
    const { view, history, sequences } = setup(range(5, 6), { hasMore: true }, () => {
      throw new TypeError("Failed to fetch");
    });
    await history.loadOlder();
    expect(view.getSnapshot().older).toBe("error");
    expect(sequences()).toEqual([5, 6]);
  });

  it("keeps the live reply's text when the page read holds a stored copy of it", async () => {
    const live = storedMessage(REPLY_ID, 2, {
      role: "assistant",
      content: "Li",
      status: "streaming",
    });
    const { view, host, history } = setup(
      [storedMessage("q", 1), { ...live, content: "Live text so far" }],
      { hasMore: true },
      () => ({ items: [storedMessage("q", 1), live], hasMore: false }),
    );
    host.live = REPLY_ID;
    await history.readNewest();
    expect(view.messages[1]?.content).toBe("Live text so far");
  });

  it("pages towards the newest message from the middle, and says when it is there", async () => {
    const { view, source, host, history, sequences } = setup(
      range(10, 12),
      { hasMore: true, hasNewer: true },
      ({ after }) =>
        after === 12
          ? { items: range(13, 13), hasNewer: true }
          : { items: range(14, 14), hasNewer: false },
    );
    await history.loadNewer();
    expect(host.reachedEnd).toBe(0);
    expect(view.getSnapshot()).toMatchObject({ hasNewer: true, newer: "idle" });
    await history.loadNewer();
    expect(source.mock.calls.map(([request]) => request)).toEqual([
      { after: 12, limit: 50 },
      { after: 13, limit: 50 },
    ]);
    expect(sequences()).toEqual([10, 11, 12, 13, 14]);
    expect(view.getSnapshot().hasNewer).toBe(false);
    expect(host.reachedEnd).toBe(1);
    await history.loadNewer();
    expect(source).toHaveBeenCalledTimes(2);
  });

  it("jumps to the newest page, keeping unsent messages", async () => {
    const { view, source, host, history, sequences } = setup(
      range(10, 12),
      { hasMore: true, hasNewer: true },
      () => ({ items: range(40, 41), hasMore: true }),
    );
    view.setMessages([...view.messages, unsent]);
    await history.jumpToLatest();
    expect(source).toHaveBeenCalledWith({ limit: 50 });
    expect(sequences()).toEqual([40, 41, null]);
    expect(view.getSnapshot()).toMatchObject({ hasMore: true, hasNewer: false, newer: "idle" });
    expect(host.reachedEnd).toBe(1);
  });

  it("merges the newest page, handing its messages over as acknowledgements", async () => {
    const { view, host, history, sequences } = setup(range(1, 2), { hasMore: false }, () => ({
      items: range(1, 4),
      hasMore: false,
    }));
    expect(await history.readNewest()).toBe(true);
    expect(host.stored).toEqual(["m1", "m2", "m3", "m4"]);
    expect(sequences()).toEqual([1, 2, 3, 4]);
    expect(view.getSnapshot().unreachable).toBe(false);
  });

  it("learns from the newest page whether older messages exist only for a new chat", async () => {
    const page = () => ({ items: range(51, 52), hasMore: true });
    const fresh = setup([], { hasMore: false }, page);
    await fresh.history.readNewest();
    expect(fresh.view.getSnapshot().hasMore).toBe(true);
    const opened = setup(range(51, 51), { hasMore: false }, page);
    await opened.history.readNewest();
    expect(opened.view.getSnapshot().hasMore).toBe(false);
  });

  it("reading the newest page: a 404 is an answer, an outage or no answer is not", async () => {
    let failure: unknown = new ApiError(404, "not_found", "Not found");
    const { view, history } = setup(range(1, 1), { hasMore: false }, () => {
      throw failure;
    });
    expect(await history.readNewest()).toBe(true);
    expect(view.getSnapshot().unreachable).toBe(false);
    failure = new ApiError(503, "unavailable", "The database is unavailable");
    expect(await history.readNewest()).toBe(false);
    expect(view.getSnapshot().unreachable).toBe(true);
    view.setReachable(true);
    failure = new TypeError("Failed to fetch");
    expect(await history.readNewest()).toBe(false);
    expect(view.getSnapshot().unreachable).toBe(true);
  });

  it("pages a branch by depth, which differs from sequence once the conversation branched", async () => {
    // Depths 3 and 4 of a branch whose messages were written late (sequences 20 and 21).
    const branch = [storedMessage("a", 20, { depth: 3 }), storedMessage("b", 21, { depth: 4 })];
    const { source, history } = setup(branch, { hasMore: true, hasNewer: true }, () => ({
      items: [],
      hasMore: false,
      hasNewer: false,
    }));
    await history.loadOlder();
    await history.loadNewer();
    expect(source.mock.calls.map(([request]) => request)).toEqual([
      { before: 3, limit: 50 },
      { after: 4, limit: 50 },
    ]);
  });

  it("reloads as the branch now current: another branch's messages go, unsent ones stay", async () => {
    const otherBranch = [
      storedMessage("q", 1),
      storedMessage("old-reply", 2, { role: "assistant" }),
      storedMessage("old-follow-up", 3),
    ];
    const current = [
      storedMessage("q", 1, { versionIndex: 1, versionCount: 2 }),
      storedMessage("new-reply", 5, { role: "assistant", depth: 2 }),
    ];
    const { view, host, history } = setup(otherBranch, { hasMore: false }, () => ({
      items: current,
      hasMore: false,
    }));
    view.setMessages([...view.messages, unsent]);
    expect(await history.reload()).toBe(true);
    expect(view.messages.map((message) => message.id)).toEqual(["q", "new-reply", "unsent"]);
    expect(view.messages[0]).toMatchObject({ versionIndex: 1, versionCount: 2 });
    expect(host.reachedEnd).toBe(1);
  });

  it("reloading keeps the live text of a reply on the branch shown, and drops one that is not", async () => {
    const live = storedMessage(REPLY_ID, 2, { role: "assistant", status: "streaming" });
    const { view, host, history } = setup(
      [storedMessage("q", 1), { ...live, content: "Live text so far" }],
      { hasMore: false },
      () => ({ items: [storedMessage("q", 1), { ...live, content: "Live", versionCount: 2 }] }),
    );
    host.live = REPLY_ID;
    await history.reload();
    expect(view.messages[1]).toMatchObject({ content: "Live text so far", versionCount: 2 });

    const away = setup([storedMessage("q", 1), live], { hasMore: false }, () => ({
      items: [storedMessage("other", 1)],
    }));
    away.host.live = REPLY_ID;
    await away.history.reload();
    expect(away.view.messages.map((message) => message.id)).toEqual(["other"]);
  });

  it("reloads from a page given with the change without reading one", async () => {
    const { view, source, history } = setup(range(1, 3), { hasMore: false }, () => {
      throw new Error("not asked");
    });
    expect(await history.reload({ items: range(7, 8), hasMore: true })).toBe(true);
    expect(source).not.toHaveBeenCalled();
    expect(view.messages.map((message) => message.id)).toEqual(["m7", "m8"]);
    expect(view.getSnapshot().hasMore).toBe(true);
  });

  it("a reload that cannot be read keeps the window and says so", async () => {
    const { view, history, sequences } = setup(range(1, 2), { hasMore: false }, () => {
      throw new TypeError("Failed to fetch");
    });
    expect(await history.reload()).toBe(false);
    expect(sequences()).toEqual([1, 2]);
    expect(view.getSnapshot()).toMatchObject({ newer: "error", unreachable: true });
  });
});

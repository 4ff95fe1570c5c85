import { afterEach, describe, expect, it, vi } from "vitest";
import { openingSnapshot, SnapshotStore } from "./snapshot-store";

afterEach(() => {
  vi.useRealTimers();
});

describe("SnapshotStore", () => {
  it("tells listeners at once about what the person did, and stops when unsubscribed", () => {
    const view = new SnapshotStore(openingSnapshot([], { hasMore: false }));
    const listener = vi.fn();
    const unsubscribe = view.subscribe(listener);
    const before = view.getSnapshot();
    view.update({ busy: "sending" });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(view.getSnapshot()).not.toBe(before);
    unsubscribe();
    view.update({ busy: null });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("batches streamed changes to one notification per frame", () => {
    vi.useFakeTimers();
    const view = new SnapshotStore(openingSnapshot([], { hasMore: false }));
    const listener = vi.fn();
    view.subscribe(listener);
    view.update({ liveReplyId: "a" }, true);
    view.update({ liveReplyId: "b" }, true);
    expect(listener).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(view.getSnapshot().liveReplyId).toBe("b");
  });

  it("changes reachability only when it differs, and a quiet update tells nobody", () => {
    const view = new SnapshotStore(openingSnapshot([], { hasMore: false }));
    const listener = vi.fn();
    view.subscribe(listener);
    view.setReachable(true);
    expect(listener).not.toHaveBeenCalled();
    view.setReachable(false);
    expect(view.getSnapshot().unreachable).toBe(true);
    view.updateQuietly({ busy: null, unreachable: false });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

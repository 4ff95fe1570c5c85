import { afterEach, describe, expect, it, vi } from "vitest";
import {
  brokenReplyStream,
  REPLY_ID,
  replyStream,
  storedMessage,
} from "@/test/support/conversation-fakes";
import { type ChatMessage, fromJson } from "../messages";
import { initialProgress } from "../reply-chunks";
import { ReplyReader } from "./reply-reader";
import { openingSnapshot, SnapshotStore } from "./snapshot-store";

function setup(messages: ChatMessage[] = []) {
  const view = new SnapshotStore(openingSnapshot(messages, { hasMore: false }));
  const log: string[] = [];
  const host = {
    started: true,
    openLiveStream: vi.fn(async (_signal: AbortSignal): Promise<Response> => {
      throw new Error("no live stream in this test");
    }),
    readNewest: vi.fn(async () => {
      log.push("readNewest");
      return true;
    }),
  };
  const reader = new ReplyReader(view, {
    isStarted: () => host.started,
    openLiveStream: (signal) => host.openLiveStream(signal),
    readNewest: () => host.readNewest(),
    onSettled: () => log.push("settled"),
    onIdle: () => log.push("idle"),
    onSessionExpired: () => log.push("session expired"),
  });
  const reply = () => view.messages.find((message) => message.id === REPLY_ID);
  return { view, host, log, reader, reply };
}

/** A reply's progress before its stream starts: regenerate and continue start from its text. */
const progressOf = (content: string) => ({ ...initialProgress(content), replyId: REPLY_ID });

const streamingReply = (content: string, sequence = 2) =>
  fromJson(storedMessage(REPLY_ID, sequence, { role: "assistant", content, status: "streaming" }));

afterEach(() => {
  vi.useRealTimers();
});

describe("ReplyReader", () => {
  it("reads a send's reply into the list: the user message gets its place, the reply its text", async () => {
    const question: ChatMessage = { ...fromJson(storedMessage("q", 1)), sequence: null };
    const { view, log, reader, reply } = setup([question]);
    const busy: unknown[] = [];
    view.subscribe(() => busy.push(view.getSnapshot().busy));

    const active = reader.begin("send", { messageId: "q" });
    expect(view.getSnapshot()).toMatchObject({ busy: "sending", liveReplyId: null });
    await reader.follow(replyStream("Hi there", 6), active);

    expect(view.messages.map((m) => [m.id, m.sequence])).toEqual([
      ["q", 5],
      [REPLY_ID, 6],
    ]);
    expect(reply()).toMatchObject({ content: "Hi there", status: "complete", model: "offline" });
    expect(busy).toContain("streaming");
    expect(view.getSnapshot()).toMatchObject({ busy: null, liveReplyId: null });
    expect(log).toEqual(["settled", "idle"]);
    expect(reader.busy).toBe(false);
  });

  it("resumes a live reply, replacing the stored text with the replay instead of doubling it", async () => {
    const { host, reader, reply } = setup([streamingReply("Partial")]);
    host.openLiveStream.mockResolvedValue(replyStream("Partial answer, now complete"));
    await reader.resume();
    expect(reply()).toMatchObject({ content: "Partial answer, now complete", status: "complete" });
  });

  it("clears the old text when a regenerated reply starts, keeps it when one is continued", async () => {
    const regenerated = setup([{ ...streamingReply("Old"), status: "complete" }]);
    const first = regenerated.reader.begin("regenerate", { progress: progressOf("Old") });
    const seen: string[] = [];
    regenerated.view.subscribe(() => seen.push(regenerated.reply()?.content ?? ""));
    await regenerated.reader.follow(replyStream("New"), first);
    expect(seen[0]).toBe("");
    expect(regenerated.reply()?.content).toBe("New");

    const continued = setup([{ ...streamingReply("Old"), status: "interrupted" }]);
    const second = continued.reader.begin("continue", { progress: progressOf("Old") });
    const kept: string[] = [];
    continued.view.subscribe(() => kept.push(continued.reply()?.content ?? ""));
    await continued.reader.follow(replyStream("Old and more"), second);
    expect(kept[0]).toBe("Old");
    expect(continued.reply()?.content).toBe("Old and more");
  });

  it("after a 204 shows what is stored, without calling the reply settled", async () => {
    const { host, log, reader } = setup([streamingReply("Cu")]);
    host.openLiveStream.mockResolvedValue(new Response(null, { status: 204 }));
    await reader.resume();
    expect(log).toEqual(["readNewest", "idle"]);
  });

  it("reports an ended session on a 401 and does not try again", async () => {
    vi.useFakeTimers();
    const { host, log, reader } = setup([streamingReply("Cu")]);
    host.openLiveStream.mockResolvedValue(new Response(null, { status: 401 }));
    await reader.resume();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(log).toEqual(["session expired"]);
    expect(host.openLiveStream).toHaveBeenCalledTimes(1);
  });

  it("picks a broken stream up again: re-reads the newest page and follows the reply", async () => {
    vi.useFakeTimers();
    const { host, log, reader, reply } = setup([streamingReply("")]);
    host.openLiveStream
      .mockResolvedValueOnce(brokenReplyStream("Half"))
      .mockResolvedValueOnce(replyStream("Half and the rest"));
    await reader.resume();
    expect(reply()).toMatchObject({ content: "Half", status: "streaming" });
    expect(reader.busy).toBe(false);
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_300);
    expect(log).toEqual(["readNewest", "settled", "idle"]);
    expect(reply()).toMatchObject({ content: "Half and the rest", status: "complete" });
  });

  it("says the server is unreachable when the stream cannot be opened, and retries with back-off", async () => {
    vi.useFakeTimers();
    const { view, host, log, reader } = setup([streamingReply("")]);
    host.readNewest.mockImplementation(async () => {
      log.push("readNewest");
      view.setReachable(true);
      return true;
    });
    host.openLiveStream
      .mockRejectedValueOnce(new TypeError("Failed to fetch"))
      .mockResolvedValueOnce(replyStream("Back"));
    await reader.resume();
    expect(view.getSnapshot().unreachable).toBe(true);
    await vi.advanceTimersByTimeAsync(700);
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(600);
    expect(view.getSnapshot().unreachable).toBe(false);
    expect(host.openLiveStream).toHaveBeenCalledTimes(2);
  });

  it("runs a waiting recovery at once when the network is back", async () => {
    vi.useFakeTimers();
    const { host, log, reader } = setup([streamingReply("")]);
    host.openLiveStream.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    await reader.resume();
    reader.recoverNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(log[0]).toBe("readNewest");
  });

  it("cancel stops reading, marks the reply stopped and hands back what was in flight", async () => {
    const { view, reader, reply } = setup([streamingReply("Some")]);
    const active = reader.begin("resume", { progress: progressOf("Some") });
    expect(reader.liveReplyId).toBe(REPLY_ID);
    expect(reader.cancel()).toBe(active);
    expect(active.abort.signal.aborted).toBe(true);
    expect(reader.isCurrent(active)).toBe(false);
    expect(reply()?.status).toBe("stopped");
    expect(view.getSnapshot().busy).toBeNull();
    expect(reader.cancel()).toBeNull();
  });

  it("does nothing once the view is closed", async () => {
    const { host, reader } = setup([streamingReply("")]);
    host.started = false;
    await reader.resume();
    expect(host.openLiveStream).not.toHaveBeenCalled();
  });
});

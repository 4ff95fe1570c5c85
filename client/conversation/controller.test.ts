import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  memoryPendingStore,
  REPLY_ID,
  replyStream,
  storedMessage,
} from "@/test/support/conversation-fakes";
import type { MessageJson } from "../messages";
import type { PendingStore } from "../pending-store";
import { ConversationController } from "./controller";

const CONVERSATION = "11111111-1111-4111-8111-111111111111";

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

let handler: Handler;
const calls: { url: string; method: string; body: unknown }[] = [];

beforeEach(() => {
  calls.length = 0;
  vi.stubGlobal("window", new EventTarget());
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit = {}) => {
      calls.push({
        url,
        method: init.method ?? "GET",
        body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
      });
      return handler(url, init);
    }),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function controller(store: PendingStore, initial: MessageJson[] = [], events = {}) {
  return new ConversationController(
    {
      conversationId: CONVERSATION,
      initialMessages: initial,
      hasMore: false,
      isNew: initial.length === 0,
    },
    store,
    events,
  );
}

const sends = () =>
  calls.filter((call) => call.method === "POST" && call.url.endsWith("/messages"));

describe("ConversationController", () => {
  it("keeps an unacknowledged message and resends it with the same id", async () => {
    let online = false;
    handler = (url) => {
      if (!online) throw new TypeError("Failed to fetch");
      if (url.endsWith("/messages")) return replyStream("Hi there");
      return new Response(null, { status: 404 });
    };
    const store = memoryPendingStore();
    const chat = controller(store);
    chat.start();
    chat.send("Hello");

    await vi.waitFor(() => expect(chat.getSnapshot().messages[0]?.pending?.state).toBe("failed"));
    expect(store.records).toHaveLength(1);

    online = true;
    window.dispatchEvent(new Event("online"));
    await vi.waitFor(() => expect(chat.getSnapshot().busy).toBeNull());

    const [first, second] = sends();
    expect(first?.body).toEqual(second?.body);
    expect(store.records).toEqual([]);
    const { messages } = chat.getSnapshot();
    expect(messages.map((m) => [m.role, m.sequence, m.content, m.pending])).toEqual([
      ["user", 1, "Hello", undefined],
      ["assistant", 2, "Hi there", undefined],
    ]);
    chat.dispose();
  });

  it("says the server is unreachable while it answers 503, keeps the message, and resends it after Retry-After", async () => {
    let databaseDown = true;
    handler = (url) => {
      if (databaseDown) {
        return Response.json(
          { error: { code: "unavailable", message: "The database is unavailable" } },
          { status: 503, headers: { "retry-after": "1" } },
        );
      }
      if (url.endsWith("/messages")) return replyStream("Back again");
      return new Response(null, { status: 404 });
    };
    const store = memoryPendingStore();
    const chat = controller(store);
    chat.start();
    expect(chat.getSnapshot().unreachable).toBe(false);
    chat.send("During the outage");

    await vi.waitFor(() => expect(chat.getSnapshot().unreachable).toBe(true));
    expect(chat.getSnapshot().messages[0]?.pending?.state).toBe("failed");
    expect(store.records).toHaveLength(1);
    const triedAt = Date.now();

    databaseDown = false;
    await vi.waitFor(() => expect(chat.getSnapshot().messages[1]?.content).toBe("Back again"), {
      timeout: 3_000,
    });
    // Not before the server said to come back.
    expect(Date.now() - triedAt).toBeGreaterThanOrEqual(900);
    expect(chat.getSnapshot().unreachable).toBe(false);
    const [first, second] = sends();
    expect(second?.body).toEqual(first?.body);
    expect(store.records).toEqual([]);
    chat.dispose();
  });

  it("gives up on a 4xx for good but keeps the text", async () => {
    handler = () =>
      Response.json({ error: { code: "validation", message: "content is bad" } }, { status: 400 });
    const store = memoryPendingStore();
    const errors: string[] = [];
    const chat = controller(store, [], { onError: (message: string) => errors.push(message) });
    chat.start();
    chat.send("Bad");
    await vi.waitFor(() => expect(chat.getSnapshot().messages[0]?.pending?.state).toBe("rejected"));
    expect(chat.getSnapshot().messages[0]?.pending?.error).toBe("content is bad");
    expect(store.records[0]).toMatchObject({ content: "Bad", rejected: "content is bad" });
    expect(errors).toHaveLength(1);
    chat.dispose();
  });

  it("drops stored copies from the pending store and sends the rest on start", async () => {
    handler = () => replyStream("Answer", 4);
    const store = memoryPendingStore([
      { id: "acked", content: "already stored", createdAt: "2025-01-01T00:00:00.000Z" },
      {
        id: "33333333-3333-4333-8333-333333333333",
        content: "unsent",
        createdAt: "2025-01-01T00:00:01.000Z",
      },
    ]);
    const chat = controller(store, [
      storedMessage("x", 1),
      storedMessage("acked", 2, { content: "already stored" }),
    ]);
    chat.start();
    await vi.waitFor(() => expect(chat.getSnapshot().messages).toHaveLength(4));
    await vi.waitFor(() => expect(chat.getSnapshot().busy).toBeNull());
    expect(sends().map((call) => call.body)).toEqual([
      { id: "33333333-3333-4333-8333-333333333333", content: "unsent" },
    ]);
    expect(store.records).toEqual([]);
    expect(chat.getSnapshot().messages.map((m) => m.sequence)).toEqual([1, 2, 3, 4]);
    chat.dispose();
  });

  it("resumes a reply that was streaming when the page opened, without doubling its text", async () => {
    handler = (url) => {
      if (url.endsWith("/stream")) return replyStream("Partial answer, now complete", 2);
      return new Response(null, { status: 404 });
    };
    const chat = controller(memoryPendingStore(), [
      storedMessage("q", 1),
      storedMessage(REPLY_ID, 2, { role: "assistant", content: "Partial", status: "streaming" }),
    ]);
    chat.start();
    await vi.waitFor(() => expect(chat.getSnapshot().messages[1]?.status).toBe("complete"));
    expect(chat.getSnapshot().messages[1]?.content).toBe("Partial answer, now complete");
    chat.dispose();
  });

  it("after a 204 from the stream endpoint shows what is stored", async () => {
    handler = (url) => {
      if (url.endsWith("/stream")) return new Response(null, { status: 204 });
      return Response.json({
        items: [
          storedMessage("q", 1),
          storedMessage(REPLY_ID, 2, { role: "assistant", content: "Cut", status: "interrupted" }),
        ],
        hasMore: false,
      });
    };
    const chat = controller(memoryPendingStore(), [
      storedMessage("q", 1),
      storedMessage(REPLY_ID, 2, { role: "assistant", content: "Cu", status: "streaming" }),
    ]);
    chat.start();
    await vi.waitFor(() => expect(chat.getSnapshot().messages[1]?.status).toBe("interrupted"));
    expect(chat.getSnapshot().messages[1]?.content).toBe("Cut");
    chat.dispose();
  });
});

describe("ConversationController opened at a message in the middle", () => {
  const middle = (store: PendingStore) =>
    new ConversationController(
      {
        conversationId: CONVERSATION,
        initialMessages: [
          storedMessage("m10", 10),
          storedMessage("m11", 11),
          storedMessage("m12", 12),
        ],
        hasMore: true,
        hasNewer: true,
        isNew: false,
      },
      store,
    );
  const url = (call: { url: string }) => new URL(call.url, "http://x").searchParams;

  it("loads newer pages until the end, then follows the live reply there", async () => {
    handler = (requested) => {
      const query = new URL(requested, "http://x").searchParams;
      if (requested.includes("/stream")) return replyStream("live text", 15, "complete");
      if (query.get("after") === "12") {
        return Response.json({ items: [storedMessage("m13", 13)], hasNewer: true });
      }
      if (query.get("after") === "13") {
        return Response.json({
          items: [
            storedMessage(REPLY_ID, 14, { role: "assistant", status: "streaming", content: "li" }),
          ],
          hasNewer: false,
        });
      }
      return new Response(null, { status: 500 });
    };
    const chat = middle(memoryPendingStore());
    chat.start();
    // Nothing is followed from the middle: the live end is not on screen.
    expect(calls).toEqual([]);
    await chat.loadNewer();
    expect(chat.getSnapshot()).toMatchObject({ hasNewer: true, newer: "idle" });
    await chat.loadNewer();
    expect(chat.getSnapshot().hasNewer).toBe(false);
    await vi.waitFor(() => expect(calls.some((call) => call.url.endsWith("/stream"))).toBe(true));
    expect(chat.getSnapshot().messages.map((m) => m.sequence)).toEqual([10, 11, 12, 13, 14]);
    expect(
      calls.filter((call) => !call.url.endsWith("/stream")).map((c) => url(c).get("after")),
    ).toEqual(["12", "13"]);
  });

  it("jumps to the newest page before sending a message typed in the middle", async () => {
    handler = (requested, init) => {
      const query = new URL(requested, "http://x").searchParams;
      if (init.method === "POST") return replyStream("Sure", 42);
      if (requested.includes("/messages") && !query.has("after")) {
        return Response.json({ items: [storedMessage("m40", 40)], hasMore: true });
      }
      return new Response(null, { status: 500 });
    };
    const store = memoryPendingStore();
    const chat = middle(store);
    chat.start();
    chat.send("From the middle");
    await vi.waitFor(() => expect(sends()).toHaveLength(1));
    await vi.waitFor(() => expect(chat.getSnapshot().busy).toBeNull());
    const snapshot = chat.getSnapshot();
    expect(snapshot).toMatchObject({ hasNewer: false, hasMore: true });
    // The middle page made way for the end of the conversation, where the message went.
    expect(snapshot.messages.map((m) => [m.sequence, m.content])).toEqual([
      [40, "m40"],
      [41, "From the middle"],
      [42, "Sure"],
    ]);
    expect(store.records).toEqual([]);
  });
});

describe("ConversationController regenerate, continue and stop", () => {
  const answered = (content: string, status = "complete") => [
    storedMessage("q", 1),
    storedMessage(REPLY_ID, 2, { role: "assistant", content, status: status as "complete" }),
  ];
  const replyCalls = () => calls.filter((call) => /\/(regenerate|continue)$/.test(call.url));

  it("regenerates a reply as a new version: it streams in the old one's place", async () => {
    handler = (_url, init) => {
      const { replyId } = JSON.parse(String(init.body)) as { replyId: string };
      return replyStream("New answer", 3, "complete", replyId);
    };
    const activity: unknown[] = [];
    const chat = controller(memoryPendingStore(), answered("Old answer"), {
      onActivity: (...args: unknown[]) => activity.push(args),
    });
    chat.start();
    const regenerating = chat.regenerate(REPLY_ID);
    const [, shown] = chat.getSnapshot().messages;
    expect(shown).toMatchObject({ content: "", status: "streaming", versionIndex: 1 });
    expect(shown?.id).not.toBe(REPLY_ID);
    await regenerating;
    expect(chat.getSnapshot().messages[1]).toMatchObject({
      id: shown?.id,
      content: "New answer",
      status: "complete",
      sequence: 3,
    });
    expect(replyCalls().map((call) => [call.method, call.url, call.body])).toEqual([
      [
        "POST",
        `/api/conversations/${CONVERSATION}/regenerate`,
        { messageId: REPLY_ID, replyId: shown?.id },
      ],
    ]);
    expect(activity).toEqual([[CONVERSATION, null]]);
    chat.dispose();
  });

  it("continues an interrupted reply from its text", async () => {
    handler = () => replyStream("Cut short, now whole");
    const chat = controller(memoryPendingStore(), answered("Cut short", "interrupted"));
    chat.start();
    const continuing = chat.continueReply(REPLY_ID);
    expect(chat.getSnapshot().messages[1]).toMatchObject({
      content: "Cut short",
      status: "streaming",
    });
    await continuing;
    expect(chat.getSnapshot().messages[1]?.content).toBe("Cut short, now whole");
    expect(replyCalls().map((call) => [call.url, call.body])).toEqual([
      [`/api/conversations/${CONVERSATION}/continue`, { messageId: REPLY_ID }],
    ]);
    chat.dispose();
  });

  it("puts the reply back when the server refuses, and follows the reply in progress on a 409", async () => {
    handler = (url) => {
      if (url.endsWith("/regenerate")) {
        return Response.json(
          { error: { code: "conflict", message: "A reply is already in progress" } },
          { status: 409 },
        );
      }
      if (url.endsWith("/stream")) return new Response(null, { status: 204 });
      return Response.json({ items: answered("Old answer"), hasMore: false });
    };
    const errors: string[] = [];
    const chat = controller(memoryPendingStore(), answered("Old answer"), {
      onError: (message: string) => errors.push(message),
    });
    chat.start();
    await chat.regenerate(REPLY_ID);
    expect(chat.getSnapshot().messages[1]).toMatchObject({
      content: "Old answer",
      status: "complete",
    });
    expect(errors).toEqual(["A reply is already in progress"]);
    await vi.waitFor(() => expect(calls.some((call) => call.url.endsWith("/stream"))).toBe(true));
    chat.dispose();
  });

  it("stopping a message with no answer yet keeps it queued and tells the server to stop", async () => {
    handler = (url, init) => {
      if (url.endsWith("/stop")) return Response.json({ stopped: null });
      // The message's request never answers; only the stop ends it.
      return new Promise((_, reject) =>
        init.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
      );
    };
    const store = memoryPendingStore();
    const chat = controller(store);
    chat.start();
    chat.send("Never mind");
    await vi.waitFor(() => expect(chat.getSnapshot().busy).toBe("sending"));
    await chat.stop();
    const { busy, messages } = chat.getSnapshot();
    expect(busy).toBeNull();
    expect(messages[0]?.pending).toEqual({ state: "queued", attempts: 0, error: null });
    expect(store.records).toHaveLength(1);
    expect(calls.filter((call) => call.url.endsWith("/stop")).map((call) => call.method)).toEqual([
      "POST",
    ]);
    chat.dispose();
  });
});

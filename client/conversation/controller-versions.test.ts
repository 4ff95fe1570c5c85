import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BranchServer } from "@/test/support/branch-server";
import { memoryPendingStore } from "@/test/support/conversation-fakes";
import type { PendingStore } from "../pending-store";
import { ConversationController } from "./controller";

const CONVERSATION = "11111111-1111-4111-8111-111111111111";

let server: BranchServer;
let offline = false;
const posts: { path: string; body: Record<string, unknown> }[] = [];
let pageReads = 0;

beforeEach(() => {
  posts.length = 0;
  pageReads = 0;
  offline = false;
  server = new BranchServer(CONVERSATION);
  vi.stubGlobal("window", new EventTarget());
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit = {}) => {
      if (offline) throw new TypeError("Failed to fetch");
      if ((init.method ?? "GET") === "GET" && url.includes("/messages")) pageReads++;
      if (init.method === "POST" && typeof init.body === "string") {
        posts.push({ path: url.split(CONVERSATION)[1] ?? url, body: JSON.parse(init.body) });
      }
      return server.handle(url, init);
    }),
  );
});

const opened: ConversationController[] = [];

afterEach(() => {
  // A test that failed half-way leaves no retry timer to fire into the next one.
  for (const chat of opened.splice(0)) chat.dispose();
  vi.unstubAllGlobals();
});

/** A conversation opened on the server's current branch, as the page would render it. */
function open(store: PendingStore = memoryPendingStore()) {
  const chat = new ConversationController(
    {
      conversationId: CONVERSATION,
      initialMessages: server.branch(),
      hasMore: false,
      isNew: false,
    },
    store,
  );
  opened.push(chat);
  chat.start();
  return chat;
}

const shown = (chat: ConversationController) =>
  chat
    .getSnapshot()
    .messages.map(
      (m) => `${m.content}${m.versionCount ? ` ${m.versionIndex}/${m.versionCount}` : ""}`,
    );

/** q1 → a1 → q2 → a2: two turns, no versions yet. */
function twoTurns() {
  server.add("user", "q1", "First question");
  server.add("assistant", "a1", "First answer");
  server.add("user", "q2", "Second question");
  server.add("assistant", "a2", "Second answer");
}

describe("ConversationController versions", () => {
  it("edits a message: a new version after its parent, then the branch it starts", async () => {
    twoTurns();
    const chat = open();
    chat.edit("q2", "Second question, better");
    // At once: the old version and its reply leave the screen; the edit shows as version 2 of 2.
    expect(shown(chat)).toEqual([
      "First question 0/1",
      "First answer 0/1",
      "Second question, better 1/2",
    ]);
    await vi.waitFor(() => expect(chat.getSnapshot().busy).toBeNull());
    const [edit] = posts;
    expect(edit?.path).toBe("/messages");
    expect(edit?.body).toMatchObject({ content: "Second question, better", parentId: "a1" });
    // The reply ended: the window reloads the branch now current.
    server.replyText = "unused";
    await vi.waitFor(() =>
      expect(shown(chat)).toEqual([
        "First question 0/1",
        "First answer 0/1",
        "Second question, better 1/2",
        "Reply 0/1",
      ]),
    );
    chat.dispose();
  });

  it("editing a first message makes a new first message", async () => {
    twoTurns();
    const chat = open();
    chat.edit("q1", "Another start");
    expect(shown(chat)).toEqual(["Another start 1/2"]);
    await vi.waitFor(() => expect(shown(chat)).toEqual(["Another start 1/2", "Reply 0/1"]));
    expect(posts[0]?.body).toMatchObject({ parentId: null });
    chat.dispose();
  });

  it("switches back to the old version, and what followed it shows again", async () => {
    twoTurns();
    const chat = open();
    chat.edit("q2", "Edited");
    await vi.waitFor(() => expect(shown(chat)).toContain("Reply 0/1"));
    const editId = chat.getSnapshot().messages[2]?.id ?? "";
    const readsBefore = pageReads;
    await chat.switchVersion(editId, 0);
    // The switch answered the branch's newest page: no second request for it.
    expect(pageReads).toBe(readsBefore);
    expect(posts.at(-1)).toEqual({ path: "/switch", body: { siblingOf: editId, versionIndex: 0 } });
    expect(shown(chat)).toEqual([
      "First question 0/1",
      "First answer 0/1",
      "Second question 0/2",
      "Second answer 0/1",
    ]);
    // The server keeps the branch: a second visit opens on it.
    const again = open();
    expect(shown(again)).toEqual(shown(chat));
    chat.dispose();
    again.dispose();
  });

  it("an edit that could not be delivered stays pending with its place, and is sent once", async () => {
    twoTurns();
    offline = true;
    const store = memoryPendingStore();
    const chat = open(store);
    chat.edit("q2", "Edited offline");
    await vi.waitFor(() => expect(chat.getSnapshot().messages[2]?.pending?.state).toBe("failed"));
    const [record] = store.records;
    expect(record).toMatchObject({ content: "Edited offline", parentId: "a1" });
    chat.dispose();

    // Reopened later, still offline: the page shows the old branch, and the edit goes back in
    // its place there.
    const reopened = open(store);
    expect(shown(reopened)).toEqual([
      "First question 0/1",
      "First answer 0/1",
      "Edited offline 1/2",
    ]);
    // Its first attempt from this visit has failed before the network comes back.
    await vi.waitFor(() =>
      expect(reopened.getSnapshot().messages[2]?.pending?.state).toBe("failed"),
    );
    offline = false;
    window.dispatchEvent(new Event("online"));
    await vi.waitFor(() => expect(shown(reopened)).toContain("Reply 0/1"));
    const sent = posts.filter((post) => post.path === "/messages");
    expect(sent).toEqual([
      { path: "/messages", body: { id: record?.id, content: "Edited offline", parentId: "a1" } },
    ]);
    expect(shown(reopened)).toEqual([
      "First question 0/1",
      "First answer 0/1",
      "Edited offline 1/2",
      "Reply 0/1",
    ]);
    expect(store.records).toEqual([]);
    reopened.dispose();
  });

  it("regenerates as a new version: the old answer stays one switch away", async () => {
    twoTurns();
    server.replyText = "Another answer";
    const chat = open();
    const regenerating = chat.regenerate("a2");
    const reply = chat.getSnapshot().messages[3];
    expect(reply).toMatchObject({ status: "streaming", versionIndex: 1, versionCount: 2 });
    await regenerating;
    expect(posts[0]).toEqual({
      path: "/regenerate",
      body: { messageId: "a2", replyId: reply?.id },
    });
    await vi.waitFor(() => expect(shown(chat).at(-1)).toBe("Another answer 1/2"));
    await chat.switchVersion(reply?.id ?? "", 0);
    expect(shown(chat).at(-1)).toBe("Second answer 0/2");
    chat.dispose();
  });

  it("a switch the server refuses leaves the window as it was and says why", async () => {
    twoTurns();
    const errors: string[] = [];
    const chat = new ConversationController(
      {
        conversationId: CONVERSATION,
        initialMessages: server.branch(),
        hasMore: false,
        isNew: false,
      },
      memoryPendingStore(),
      { onError: (message) => errors.push(message) },
    );
    opened.push(chat);
    chat.start();
    const before = shown(chat);
    await chat.switchVersion("a2", 5);
    expect(shown(chat)).toEqual(before);
    expect(errors).toEqual(["Could not switch versions: Not found"]);
    chat.dispose();
  });

  it("a reply streaming on one branch goes on while another is shown, and shows when it is again", async () => {
    server.add("user", "q1", "Old question");
    server.add("assistant", "a1", "Old answer");
    server.add("user", "q1b", "New question", null);
    server.add("assistant", "a1b", "New answer");
    // The reply to the next message streams until the test ends it.
    let push: (chunk: unknown) => void = () => {};
    let end: () => void = () => {};
    const handle = server.handle;
    server.handle = async (url, init) => {
      if (!url.endsWith("/messages") || init.method !== "POST") return handle(url, init);
      await handle(url, init);
      const reply = server.find(server.leafId);
      if (reply) Object.assign(reply, { status: "streaming", content: "Half" });
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (chunk) =>
            controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`));
          end = () => {
            controller.enqueue(encoder.encode("data: [DONE]\n\n"));
            controller.close();
          };
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    };
    const chat = open();
    chat.send("Follow-up");
    await vi.waitFor(() => expect(chat.getSnapshot().busy).toBe("sending"));
    const replyId = `${chat.getSnapshot().messages[2]?.id}-reply`;
    const meta = { replyId, status: "streaming", sequence: 6, model: "offline" };
    push({ type: "start", messageId: replyId, messageMetadata: meta });
    push({ type: "text-delta", id: "text", delta: "Half and more" });
    await vi.waitFor(() => expect(shown(chat).at(-1)).toBe("Half and more"));

    await chat.switchVersion("q1b", 0);
    expect(shown(chat)).toEqual(["Old question 0/2", "Old answer 0/1"]);
    push({ type: "text-delta", id: "text", delta: " while away" });
    expect(chat.getSnapshot().busy).toBe("streaming");

    await chat.switchVersion("q1", 1);
    // The stored checkpoint is behind; the live text read meanwhile is what shows.
    await vi.waitFor(() => expect(shown(chat).at(-1)).toBe("Half and more while away 0/1"));
    push({ type: "finish", messageMetadata: { ...meta, status: "complete" } });
    end();
    await vi.waitFor(() => expect(chat.getSnapshot().busy).toBeNull());
    expect(chat.getSnapshot().messages.at(-1)).toMatchObject({ status: "complete" });
    chat.dispose();
  });
});

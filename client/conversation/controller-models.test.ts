import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  memoryPendingStore,
  REPLY_ID,
  replyStream,
  storedMessage,
} from "@/test/support/conversation-fakes";
import type { MessageJson } from "../messages";
import type { ModelRef } from "../models";
import type { PendingStore } from "../pending-store";
import { ConversationController } from "./controller";

const CONVERSATION = "11111111-1111-4111-8111-111111111111";
const MODEL_A: ModelRef = { endpointId: "fake", modelId: "model-a" };
const MODEL_B: ModelRef = { endpointId: "fake", modelId: "model-b" };

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

let handler: Handler;
let offline = false;
const calls: { url: string; method: string; body: Record<string, unknown> | undefined }[] = [];
const opened: ConversationController[] = [];

beforeEach(() => {
  calls.length = 0;
  offline = false;
  vi.stubGlobal("window", new EventTarget());
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit = {}) => {
      if (offline) throw new TypeError("Failed to fetch");
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
  for (const chat of opened.splice(0)) chat.dispose();
  vi.unstubAllGlobals();
});

const conversationJson = (model: ModelRef) => ({
  id: CONVERSATION,
  title: "Chat",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
  model,
});

/** The server: sends and regenerates answered by a reply, a PATCH by `patch`. */
function serve(
  patch: (body: Record<string, unknown>) => Response = (body) =>
    Response.json(conversationJson(body.model as ModelRef)),
) {
  handler = (url, init) => {
    const body = typeof init.body === "string" ? JSON.parse(init.body) : {};
    if (init.method === "PATCH") return patch(body);
    if (url.endsWith("/messages") && init.method === "POST") return replyStream("Hi");
    if (url.endsWith("/regenerate")) return replyStream("Again", 2, "complete", body.replyId);
    if (url.includes("/messages?")) return Response.json({ items: [], hasMore: false });
    return new Response(null, { status: 404 });
  };
}

function open(
  options: { initial?: MessageJson[]; model?: ModelRef; gone?: boolean; isNew?: boolean } = {},
  store: PendingStore = memoryPendingStore(),
) {
  const events = { errors: [] as string[], chosen: [] as ModelRef[] };
  const chat = new ConversationController(
    {
      conversationId: CONVERSATION,
      initialMessages: options.initial ?? [],
      hasMore: false,
      isNew: options.isNew ?? false,
      model: options.model ?? MODEL_A,
      modelGone: options.gone ?? false,
    },
    store,
    {
      onError: (message) => events.errors.push(message),
      onModelChosen: (model) => events.chosen.push(model),
    },
  );
  opened.push(chat);
  chat.start();
  return { chat, events };
}

const requests = (method: string, path: string) =>
  calls.filter((call) => call.method === method && call.url.endsWith(path));
const idle = (chat: ConversationController) =>
  vi.waitFor(() => expect(chat.getSnapshot().busy).toBeNull());

describe("ConversationController: the model", () => {
  it("stores a pick at once, shows it before the server answers, and sends with it", async () => {
    serve();
    const { chat, events } = open();
    const picked = chat.pickModel(MODEL_B);
    expect(chat.getSnapshot().model).toEqual(MODEL_B);
    await picked;
    expect(requests("PATCH", CONVERSATION).map((call) => call.body)).toEqual([{ model: MODEL_B }]);
    expect(events.chosen).toEqual([MODEL_B]);

    chat.send("Hello");
    await idle(chat);
    expect(requests("POST", "/messages")[0]?.body).toMatchObject({
      content: "Hello",
      model: MODEL_B,
    });
  });

  it("shows the server's model again when a pick is refused, and says why", async () => {
    serve(() =>
      Response.json(
        { error: { code: "unknown_model", message: "model-b is not available" } },
        { status: 400 },
      ),
    );
    const { chat, events } = open({ model: MODEL_A, gone: true });
    await chat.pickModel(MODEL_B);
    expect(chat.getSnapshot()).toMatchObject({ model: MODEL_A, modelGone: true });
    expect(events.errors).toEqual(["Could not change the model: model-b is not available"]);
    expect(events.chosen).toEqual([]);
  });

  it("clears the disappeared-model notice when the default is picked", async () => {
    serve();
    const { chat } = open({ model: { endpointId: "fake", modelId: "retired" }, gone: true });
    await chat.pickModel(MODEL_A);
    expect(chat.getSnapshot()).toMatchObject({ model: MODEL_A, modelGone: false });
  });

  it("names no model while the conversation's own is gone: the server says what became of it", async () => {
    const refusal = "This conversation's model, fake/retired, is no longer offered.";
    handler = () =>
      Response.json({ error: { code: "unknown_model", message: refusal } }, { status: 400 });
    const question = storedMessage("q1", 1, { parentId: null });
    const answer = storedMessage(REPLY_ID, 2, { role: "assistant", parentId: "q1" });
    const { chat, events } = open({
      initial: [question, answer],
      model: { endpointId: "fake", modelId: "retired" },
      gone: true,
    });
    chat.send("Still there?");
    await vi.waitFor(() =>
      expect(chat.getSnapshot().messages.at(-1)?.pending).toMatchObject({
        state: "rejected",
        error: refusal,
      }),
    );
    await chat.regenerate(REPLY_ID);
    const sent = [...requests("POST", "/messages"), ...requests("POST", "/regenerate")];
    expect(sent.map((call) => call.body && "model" in call.body)).toEqual([false, false]);
    expect(events.errors).toEqual([`Message not sent: ${refusal}`, refusal]);
  });

  it("keeps a new chat's pick here: nothing is stored until its first send carries it", async () => {
    serve();
    const { chat, events } = open({ isNew: true });
    await chat.pickModel(MODEL_B);
    expect(requests("PATCH", CONVERSATION)).toEqual([]);
    expect(events.chosen).toEqual([MODEL_B]);
    chat.send("Hello");
    await idle(chat);
    expect(requests("POST", "/messages")[0]?.body?.model).toEqual(MODEL_B);
    expect(requests("PATCH", CONVERSATION)).toEqual([]);
  });

  it("answers a message queued offline by the model shown when it was written, then stores a later pick", async () => {
    serve();
    const store = memoryPendingStore();
    const { chat, events } = open({ isNew: true }, store);
    offline = true;
    chat.send("Written for A");
    await vi.waitFor(() => expect(chat.getSnapshot().messages[0]?.pending?.state).toBe("failed"));
    // Kept with the message, so a reload sends it for A too.
    expect(store.records[0]?.model).toEqual(MODEL_A);
    await chat.pickModel(MODEL_B);

    offline = false;
    window.dispatchEvent(new Event("online"));
    await idle(chat);
    expect(requests("POST", "/messages")[0]?.body?.model).toEqual(MODEL_A);
    // The conversation now exists on A; the pick made meanwhile is what the header shows.
    await vi.waitFor(() =>
      expect(requests("PATCH", CONVERSATION).map((call) => call.body)).toEqual([
        { model: MODEL_B },
      ]),
    );
    expect(chat.getSnapshot().model).toEqual(MODEL_B);
    expect(events.chosen.at(-1)).toEqual(MODEL_B);
  });

  it("sends an edit with the model shown", async () => {
    serve();
    const question = storedMessage("q1", 1, { parentId: null });
    const answer = storedMessage("a1", 2, { role: "assistant", parentId: "q1" });
    const { chat } = open({ initial: [question, answer], model: MODEL_B });
    chat.edit("q1", "Again, differently");
    await idle(chat);
    expect(requests("POST", "/messages")[0]?.body).toMatchObject({
      parentId: null,
      model: MODEL_B,
    });
  });

  it("regenerates with the model asked for, and plainly with the model shown, which stays", async () => {
    serve();
    const question = storedMessage("q1", 1, { parentId: null });
    const answer = storedMessage(REPLY_ID, 2, { role: "assistant", parentId: "q1" });
    const { chat } = open({ initial: [question, answer], model: MODEL_A });

    await chat.regenerate(REPLY_ID, MODEL_B);
    await idle(chat);
    const reply = chat.getSnapshot().messages.at(-1)?.id ?? "";
    await chat.regenerate(reply);
    await idle(chat);

    const bodies = requests("POST", "/regenerate").map((call) => call.body);
    expect(bodies.map((body) => body?.model)).toEqual([MODEL_B, MODEL_A]);
    expect(bodies.map((body) => typeof body?.replyId)).toEqual(["string", "string"]);
    expect(bodies[0]?.replyId).not.toEqual(bodies[1]?.replyId);
    expect(chat.getSnapshot().model).toEqual(MODEL_A);
    expect(requests("PATCH", CONVERSATION)).toEqual([]);
  });
});

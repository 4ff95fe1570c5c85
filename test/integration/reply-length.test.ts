import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_STORED_MESSAGE_CHARS } from "@/lib/validation";
import { type ApiClient, messagesOf, readReply, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { startServerOn } from "./servers";

// Whatever the app stores, it exports, and whatever it exports imports back: here with the
// longest reply the app can produce at all, REPLY_MAX_CHARS at its upper bound.

// The fake model streams chunks of 10,000 UTF-16 units of emoji and a space, more than the cap:
// the cap falls inside an emoji, which is dropped whole.
const CHUNK = "😀".repeat(5_000);
const CHUNKS = Math.ceil(MAX_STORED_MESSAGE_CHARS / (CHUNK.length + 1)) + 5;
const WHOLE_CHUNKS = Math.floor(MAX_STORED_MESSAGE_CHARS / (CHUNK.length + 1));
const room = MAX_STORED_MESSAGE_CHARS - WHOLE_CHUNKS * (CHUNK.length + 1);
const EXPECTED_LENGTH = MAX_STORED_MESSAGE_CHARS - (room % 2);

describe("a reply at the length cap", () => {
  let provider: FakeOpenAI;
  let server: AppServer;
  let alice: ApiClient;

  beforeAll(async () => {
    provider = await startFakeOpenAI({ replyWords: Array.from({ length: CHUNKS }, () => CHUNK) });
    server = await startServerOn("pglite", {
      env: {
        AI_BASE_URL: provider.baseURL,
        AI_MODEL: "fake-long-writer",
        REPLY_MAX_CHARS: String(MAX_STORED_MESSAGE_CHARS),
      },
    });
    alice = await signedInClient(server.url);
  });
  afterAll(async () => {
    await server?.kill();
    await provider?.close();
  });

  it("stops at the cap, then exports and imports back whole; continuing it is refused", async () => {
    // The test means something only if the cap cuts an emoji in half.
    expect(room % 2).toBe(1);
    const conversationId = randomUUID();
    const reply = await readReply(await alice.send(conversationId, "Write at length"));
    expect(reply.finish?.status).toBe("complete");
    expect(reply.text).toHaveLength(EXPECTED_LENGTH);
    const [, stored] = await messagesOf(alice, conversationId);
    expect(stored?.content).toBe(reply.text);

    const exported = await alice.fetch(`/api/conversations/${conversationId}/export?format=json`);
    const file = await exported.text();
    const [conversation] = JSON.parse(file).conversations;
    expect(conversation.messages[1]).toMatchObject({
      status: "complete",
      finishReason: "length",
      content: reply.text,
    });

    const bob = await signedInClient(server.url);
    const imported = await bob.fetch("/api/import", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: file,
    });
    expect(await imported.json()).toMatchObject({ imported: 1, failedCount: 0, failed: [] });
    const [copy] = (await (await bob.fetch("/api/conversations")).json()).items;
    const [, copiedReply] = await messagesOf(bob, copy.id);
    expect(copiedReply?.content).toBe(reply.text);

    const requests = provider.requests.length;
    const continued = await alice.json(`/api/conversations/${conversationId}/continue`, "POST", {
      messageId: reply.start?.replyId,
    });
    expect(continued.status).toBe(409);
    expect((await continued.json()).error.message).toMatch(/reached the length limit/);
    const [, unchanged] = await messagesOf(alice, conversationId);
    expect(unchanged).toMatchObject({ status: "complete", content: reply.text });
    expect(provider.requests).toHaveLength(requests);
  });
});

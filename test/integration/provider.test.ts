import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, messagesOf, readReply, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { startServerOn } from "./servers";

describe("a configured OpenAI-compatible provider", () => {
  let provider: FakeOpenAI;
  let server: AppServer;
  let alice: ApiClient;
  beforeAll(async () => {
    provider = await startFakeOpenAI({ chunkDelayMs: 5 });
    server = await startServerOn("pglite", {
      env: {
        AI_BASE_URL: provider.baseURL,
        AI_API_KEY: "test-key",
        AI_MODEL: "fake-model-1",
        AI_SYSTEM_PROMPT: "You are a test assistant.",
      },
    });
    alice = await signedInClient(server.url);
  });
  afterAll(async () => {
    await server?.kill();
    await provider?.close();
  });

  it("streams the provider's reply and stores it with the model and usage", async () => {
    provider.configure({ failWith: undefined, failAfterWords: undefined });
    const id = randomUUID();
    const reply = await readReply(await alice.send(id, "Ping"));
    expect(reply.text).toBe("Fake reply to: Ping");
    expect(reply.finish?.status).toBe("complete");
    const [, stored] = await messagesOf(alice, id);
    expect(stored).toMatchObject({ content: "Fake reply to: Ping", status: "complete" });

    const request = provider.requests.at(-1);
    expect(request?.model).toBe("fake-model-1");
    expect(request?.messages).toEqual([
      { role: "system", content: "You are a test assistant." },
      { role: "user", content: "Ping" },
    ]);
  });

  it("sends the stored history, never anything from the client but the new message", async () => {
    provider.configure({ failWith: undefined, failAfterWords: undefined });
    const id = randomUUID();
    await readReply(await alice.send(id, "One"));
    await readReply(await alice.send(id, "Two"));
    expect(provider.requests.at(-1)?.messages.map((m) => [m.role, m.content])).toEqual([
      ["system", "You are a test assistant."],
      ["user", "One"],
      ["assistant", "Fake reply to: One"],
      ["user", "Two"],
    ]);
  });

  it("marks the reply failed when the provider errors, keeping the user's message", async () => {
    provider.configure({ failWith: 500, failAfterWords: undefined });
    const id = randomUUID();
    const reply = await readReply(await alice.send(id, "Will this fail?"));
    expect(reply.finish?.status).toBe("failed");
    expect(reply.error).toEqual(expect.any(String));
    const [question, failed] = await messagesOf(alice, id);
    expect(question).toMatchObject({ content: "Will this fail?", status: "complete" });
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toContain("The model failed");
  }, 30_000);

  it("keeps the words that arrived before the provider dropped the connection", async () => {
    provider.configure({ failWith: undefined, failAfterWords: 2 });
    const id = randomUUID();
    const reply = await readReply(await alice.send(id, "Drop me"));
    expect(reply.finish?.status).toBe("failed");
    const [, failed] = await messagesOf(alice, id);
    expect(failed?.status).toBe("failed");
    expect(failed?.content).toBe(reply.text);
    expect(reply.text.length).toBeGreaterThan(0);
  });
});

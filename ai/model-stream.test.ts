import { APICallError } from "@ai-sdk/provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { parseAiEnv } from "./model-env";
import { type ModelPart, streamModelReply } from "./model-stream";
import { resolveModel } from "./provider";

describe("streamModelReply through an OpenAI-compatible server", () => {
  let server: FakeOpenAI;
  let model: ReturnType<typeof resolveModel>["model"];
  const messages = [
    { role: "user" as const, content: "Hello there" },
    { role: "assistant" as const, content: "Hi! How can I help?" },
    { role: "user" as const, content: "Tell me a joke" },
  ];

  beforeAll(async () => {
    server = await startFakeOpenAI();
    model = resolveModel(
      parseAiEnv({ AI_BASE_URL: server.baseURL, AI_MODEL: "fake-model", AI_API_KEY: "k" }),
    ).model;
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.configure({
      failWith: undefined,
      failTimes: undefined,
      failAfterWords: undefined,
      chunkDelayMs: undefined,
      replyWords: undefined,
    });
  });

  async function collect(parts: AsyncIterable<ModelPart>) {
    const texts: string[] = [];
    let finish: ModelPart | undefined;
    for await (const part of parts) {
      if (part.type === "text") texts.push(part.text);
      else finish = part;
    }
    return { texts, finish };
  }

  it("streams the server's text and usage, sending the system prompt and messages", async () => {
    const { texts, finish } = await collect(
      streamModelReply({ model, system: "You are terse.", messages }),
    );
    expect(texts).toEqual(["Fake ", "reply ", "to: ", "Tell ", "me ", "a ", "joke"]);
    expect(finish).toMatchObject({ type: "finish", finishReason: "stop", outputTokens: 7 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      model: "fake-model",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "system", content: "You are terse." }, ...messages],
    });
  });

  it("throws the request's error when retries are used up, and never retries a 4xx", async () => {
    server.configure({ failWith: 500 });
    const failed = collect(
      streamModelReply({ model, system: "s", messages, maxRetries: 1, retryDelayMs: 10 }),
    );
    await expect(failed).rejects.toSatisfy(
      (error) => APICallError.isInstance(error) && error.statusCode === 500,
    );
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.configure({ failWith: 400 });
    const refused = collect(
      streamModelReply({ model, system: "s", messages, maxRetries: 2, retryDelayMs: 10 }),
    );
    await expect(refused).rejects.toSatisfy(APICallError.isInstance);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a failed request before the first word, then streams the reply", async () => {
    server.configure({ failWith: 503, failTimes: 2 });
    const { texts } = await collect(
      streamModelReply({ model, system: "s", messages, maxRetries: 2, retryDelayMs: 10 }),
    );
    expect(texts.join("")).toBe("Fake reply to: Tell me a joke");
    expect(server.requests).toHaveLength(3);
  });

  it("throws after the words received when the connection drops mid-reply", async () => {
    server.configure({ failAfterWords: 3 });
    const received: string[] = [];
    const reading = (async () => {
      for await (const part of streamModelReply({ model, system: "s", messages, maxRetries: 0 })) {
        if (part.type === "text") received.push(part.text);
      }
    })();
    await expect(reading).rejects.toThrow();
    expect(received.join("")).toBe("Fake reply to: ");
  });

  it("throws an abort error when the caller aborts, after the words so far", async () => {
    server.configure({ chunkDelayMs: 20, replyWords: "one two three four five six".split(" ") });
    const controller = new AbortController();
    const received: string[] = [];
    const reading = (async () => {
      const parts = streamModelReply({
        model,
        system: "s",
        messages,
        abortSignal: controller.signal,
      });
      for await (const part of parts) {
        if (part.type === "text") {
          received.push(part.text);
          controller.abort();
        }
      }
    })();
    await expect(reading).rejects.toSatisfy(
      (error) => error instanceof Error && error.name === "AbortError",
    );
    expect(received).toHaveLength(1);
  });
});

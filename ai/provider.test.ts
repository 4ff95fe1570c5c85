import { APICallError, NoOutputGeneratedError } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { parseAiEnv } from "./env";
import { OFFLINE_MODEL_LABEL, resolveModel, streamReply } from "./provider";

describe("resolveModel", () => {
  it("uses the built-in offline model when no server is configured", () => {
    const resolved = resolveModel(parseAiEnv({}));
    expect(resolved).toMatchObject({
      modelId: "offline",
      label: OFFLINE_MODEL_LABEL,
      offline: true,
      contextTokens: 4000,
    });
    expect(resolved.model.provider).toBe("chatkeep");
  });

  it("uses an OpenAI-compatible server when AI_BASE_URL is set", () => {
    const resolved = resolveModel(
      parseAiEnv({
        AI_BASE_URL: "http://127.0.0.1:9/v1",
        AI_MODEL: "llama-3.1-8b",
        AI_SYSTEM_PROMPT: "Be brief.",
      }),
    );
    expect(resolved).toMatchObject({
      modelId: "llama-3.1-8b",
      label: "llama-3.1-8b",
      offline: false,
      contextTokens: 8000,
      systemPrompt: "Be brief.",
    });
    expect(resolved.model.provider).toBe("openai-compatible.chat");
    expect(resolved.model.modelId).toBe("llama-3.1-8b");
  });
});

describe("streamReply through an OpenAI-compatible server", () => {
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
      failAfterWords: undefined,
      chunkDelayMs: undefined,
      replyWords: undefined,
    });
  });

  it("streams the server's text and sends the system prompt and messages", async () => {
    const result = streamReply({ model, system: "You are terse.", messages });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);

    expect(deltas).toEqual(["Fake ", "reply ", "to: ", "Tell ", "me ", "a ", "joke"]);
    expect(await result.finishReason).toBe("stop");
    expect((await result.usage).outputTokens).toBe(7);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      model: "fake-model",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "system", content: "You are terse." }, ...messages],
    });
  });

  // How a failed request surfaces, which decides how the caller marks the reply failed:
  // streamText never throws. `fullStream` yields a single { type: "error" } part holding the
  // APICallError (statusCode 500) and then simply ends; `onError` sees the same error; the
  // result promises (text, finishReason, usage) reject with NoOutputGeneratedError. With the
  // default maxRetries (2) a 5xx/429 is retried with backoff (2 s, 4 s) and the error part holds
  // a RetryError whose `lastError` is the APICallError; a 4xx is not retried.
  it("surfaces an HTTP 500 as an error part, then rejected result promises", async () => {
    server.configure({ failWith: 500 });
    const reported: unknown[] = [];
    const result = streamReply({
      model,
      system: "s",
      messages,
      maxRetries: 0,
      onError: (error) => reported.push(error),
    });

    const parts = [];
    for await (const part of result.fullStream) parts.push(part);

    expect(parts.map((part) => part.type)).toEqual(["start", "error"]);
    const error = parts[1]?.type === "error" ? parts[1].error : undefined;
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(500);
    expect(reported).toEqual([error]);
    await expect(result.text).rejects.toSatisfy(NoOutputGeneratedError.isInstance);
  });

  // A connection lost mid-reply is different: no error part and no onError call — iterating
  // `fullStream` (or `textStream`) THROWS an APICallError after the words already received,
  // and `toUIMessageStream()` errors too. The caller must catch around its read loop.
  it("throws from the stream when the connection drops mid-reply", async () => {
    server.configure({ failAfterWords: 3 });
    const reported: unknown[] = [];
    const result = streamReply({
      model,
      system: "s",
      messages,
      maxRetries: 0,
      onError: (error) => reported.push(error),
    });

    const received: string[] = [];
    const reading = (async () => {
      for await (const part of result.fullStream) {
        if (part.type === "text-delta") received.push(part.text);
      }
    })();

    await expect(reading).rejects.toSatisfy(APICallError.isInstance);
    expect(received.join("")).toBe("Fake reply to: ");
    expect(reported).toEqual([]);
    await expect(result.text).rejects.toSatisfy(APICallError.isInstance);
  });

  it("ends with an abort part when the caller aborts", async () => {
    server.configure({ chunkDelayMs: 20, replyWords: "one two three four five six".split(" ") });
    const controller = new AbortController();
    const result = streamReply({ model, system: "s", messages, abortSignal: controller.signal });

    const types: string[] = [];
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === "text-delta") controller.abort();
    }

    expect(types.filter((type) => type === "text-delta")).toHaveLength(1);
    expect(types.at(-1)).toBe("abort");
  });
});

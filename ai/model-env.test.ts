import { describe, expect, it } from "vitest";
import { envExample } from "@/test/support/env-example";
import { aiEnv, DEFAULT_SYSTEM_PROMPT, parseAiEnv } from "./model-env";

describe("parseAiEnv", () => {
  it("defaults to the offline model", () => {
    expect(parseAiEnv({})).toEqual({
      remote: undefined,
      contextTokens: 4000,
      systemPrompt: DEFAULT_SYSTEM_PROMPT,
      offline: { replyWords: 60, tokenDelayMs: 20 },
    });
  });

  it("configures a remote model with a larger default budget", () => {
    const env = parseAiEnv({
      AI_BASE_URL: "https://llm.example.com/v1",
      AI_API_KEY: "secret",
      AI_MODEL: "some-model",
    });
    expect(env.remote).toEqual({
      baseURL: "https://llm.example.com/v1",
      apiKey: "secret",
      model: "some-model",
    });
    expect(env.contextTokens).toBe(8000);
  });

  it("reads every optional setting", () => {
    const env = parseAiEnv({
      AI_CONTEXT_TOKENS: "1234",
      AI_SYSTEM_PROMPT: "Be brief.",
      OFFLINE_MODEL_REPLY_WORDS: "7",
      OFFLINE_MODEL_TOKEN_DELAY_MS: "0",
    });
    expect(env.contextTokens).toBe(1234);
    expect(env.systemPrompt).toBe("Be brief.");
    expect(env.offline).toEqual({ replyWords: 7, tokenDelayMs: 0 });
  });

  it("treats blank values as unset", () => {
    const env = parseAiEnv({ AI_BASE_URL: "", AI_MODEL: " ", AI_CONTEXT_TOKENS: "" });
    expect(env.remote).toBeUndefined();
    expect(env.contextTokens).toBe(4000);
  });

  it("accepts .env.example as it is and gives the defaults", () => {
    expect(parseAiEnv(envExample())).toEqual(parseAiEnv({}));
  });

  it("treats a blank value as its default", () => {
    const env = parseAiEnv({ OFFLINE_MODEL_REPLY_WORDS: "", OFFLINE_MODEL_TOKEN_DELAY_MS: "\t" });
    expect(env.offline).toEqual({ replyWords: 60, tokenDelayMs: 20 });
  });

  it("requires AI_MODEL when AI_BASE_URL is set", () => {
    expect(() => parseAiEnv({ AI_BASE_URL: "http://localhost:11434/v1" })).toThrow(
      /AI_MODEL: is required when AI_BASE_URL is set/,
    );
  });

  it.each([
    ["AI_BASE_URL", "not a url"],
    ["AI_BASE_URL", "ftp://example.com"],
    ["AI_CONTEXT_TOKENS", "0"],
    ["AI_CONTEXT_TOKENS", "1.5"],
    ["AI_CONTEXT_TOKENS", "lots"],
    ["OFFLINE_MODEL_REPLY_WORDS", "0"],
    ["OFFLINE_MODEL_TOKEN_DELAY_MS", "-1"],
  ])("rejects %s=%j with an error naming the variable", (name, value) => {
    expect(() => parseAiEnv({ [name]: value, AI_MODEL: "m" })).toThrow(
      new RegExp(`Invalid AI environment:[\\s\\S]*${name}:`),
    );
  });
});

describe("aiEnv", () => {
  it("parses an explicit source each time instead of reusing the process cache", () => {
    expect(aiEnv({ AI_CONTEXT_TOKENS: "10" }).contextTokens).toBe(10);
    expect(aiEnv({ AI_CONTEXT_TOKENS: "20" }).contextTokens).toBe(20);
  });
});

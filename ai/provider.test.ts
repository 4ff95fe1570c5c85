import { describe, expect, it } from "vitest";
import { parseEndpointsEnv } from "./endpoints-env";
import { parseAiEnv } from "./model-env";
import {
  chosenModel,
  defaultModelOf,
  OFFLINE_MODEL_LABEL,
  type ResolvedModel,
  resolveModel,
} from "./provider";

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

describe("resolveModel, once per settings", () => {
  it("builds a model once for the same settings, and anew for other settings", () => {
    const remote = parseAiEnv({ AI_BASE_URL: "http://127.0.0.1:9/v1", AI_MODEL: "m" });
    const first = resolveModel(remote);
    expect(resolveModel(remote)).toBe(first);
    expect(resolveModel(remote).model).toBe(first.model);
    const other = resolveModel(parseAiEnv({ AI_BASE_URL: "http://127.0.0.1:9/v1", AI_MODEL: "n" }));
    expect(other).not.toBe(first);
    expect(other.modelId).toBe("n");
  });
});

describe("the default model of configured endpoints", () => {
  const endpoints = JSON.stringify([
    {
      id: "local",
      baseURL: "http://127.0.0.1:9/v1",
      models: ["small", "big"],
      contextTokens: { big: 32000 },
    },
    { id: "hosted", baseURL: "http://127.0.0.1:8/v1", apiKey: "k" },
  ]);

  it("answers turns with AI_DEFAULT_MODEL, with its configured context size", () => {
    const source = {
      AI_ENDPOINTS: endpoints,
      AI_DEFAULT_MODEL: "local/big",
      AI_SYSTEM_PROMPT: "Hi.",
    };
    const resolved = defaultModelOf(parseEndpointsEnv(source), parseAiEnv(source));
    expect(resolved).toMatchObject({
      modelId: "big",
      offline: false,
      contextTokens: 32000,
      systemPrompt: "Hi.",
    });
    expect(resolved.model.modelId).toBe("big");
  });

  it("falls back to the first listed model, and to the remote default context size", () => {
    const source = { AI_ENDPOINTS: endpoints };
    expect(defaultModelOf(parseEndpointsEnv(source), parseAiEnv(source))).toMatchObject({
      modelId: "small",
      contextTokens: 8000,
    });
    const hosted = { AI_ENDPOINTS: endpoints, AI_DEFAULT_MODEL: "hosted/meta-llama/Llama-3-8B" };
    expect(defaultModelOf(parseEndpointsEnv(hosted), parseAiEnv(hosted)).model.modelId).toBe(
      "meta-llama/Llama-3-8B",
    );
  });

  it("answers with the offline model when it is the default, as with no endpoint at all", () => {
    const none = {};
    expect(defaultModelOf(parseEndpointsEnv(none), parseAiEnv(none))).toMatchObject({
      modelId: "offline",
      offline: true,
      contextTokens: 4000,
    });
    const chosen = { AI_ENDPOINTS: endpoints, AI_DEFAULT_MODEL: "offline/offline" };
    expect(defaultModelOf(parseEndpointsEnv(chosen), parseAiEnv(chosen)).offline).toBe(true);
  });

  it("keeps the single-endpoint settings' model and budget", () => {
    const legacy = {
      AI_BASE_URL: "http://127.0.0.1:9/v1",
      AI_MODEL: "llama",
      AI_CONTEXT_TOKENS: "6000",
    };
    expect(defaultModelOf(parseEndpointsEnv(legacy), parseAiEnv(legacy))).toMatchObject(
      resolveModelShape(resolveModel(parseAiEnv(legacy))),
    );
  });
});

function resolveModelShape({ modelId, contextTokens, offline, label }: ResolvedModel) {
  return { modelId, contextTokens, offline, label };
}

describe("a model a person chose", () => {
  const source = {
    AI_ENDPOINTS: JSON.stringify([{ id: "local", baseURL: "http://127.0.0.1:9/v1" }]),
    AI_SYSTEM_PROMPT: "Hi.",
  };
  const endpoints = parseEndpointsEnv(source);
  const ai = parseAiEnv(source);

  it("is reached through its endpoint with the context size the catalog gave it", () => {
    const chosen = chosenModel(endpoints, ai, {
      endpointId: "local",
      modelId: "qwen2.5",
      contextTokens: 32_768,
    });
    expect(chosen).toMatchObject({
      endpointId: "local",
      modelId: "qwen2.5",
      contextTokens: 32_768,
      offline: false,
      systemPrompt: "Hi.",
    });
    expect(chosen.model.modelId).toBe("qwen2.5");
  });

  it("is built once per model and context size, and the offline model is the offline model", () => {
    const choice = { endpointId: "local", modelId: "qwen2.5", contextTokens: 32_768 };
    expect(chosenModel(endpoints, ai, { ...choice })).toBe(chosenModel(endpoints, ai, choice));
    expect(chosenModel(endpoints, ai, { ...choice, contextTokens: 4096 })).not.toBe(
      chosenModel(endpoints, ai, choice),
    );
    expect(
      chosenModel(endpoints, ai, {
        endpointId: "offline",
        modelId: "offline",
        contextTokens: 4000,
      }),
    ).toMatchObject({ offline: true, contextTokens: 4000 });
  });
});

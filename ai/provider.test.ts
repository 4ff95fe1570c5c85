import { describe, expect, it } from "vitest";
import { parseAiEnv } from "./model-env";
import { OFFLINE_MODEL_LABEL, resolveModel } from "./provider";

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

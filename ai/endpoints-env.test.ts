import { describe, expect, it } from "vitest";
import { envExample } from "@/test/support/env-example";
import { endpointsEnv, parseEndpointsEnv } from "./endpoints-env";

const ollama = { id: "ollama", name: "Local Ollama", baseURL: "http://127.0.0.1:11434/v1" };
const hosted = {
  id: "hosted",
  baseURL: "https://api.example.com/v1",
  apiKey: "secret",
  models: ["meta-llama/Llama-3-8B", "gpt-x"],
  contextTokens: { "gpt-x": 128000 },
};
const withEndpoints = (endpoints: unknown, extra: Record<string, string> = {}) =>
  parseEndpointsEnv({ AI_ENDPOINTS: JSON.stringify(endpoints), ...extra });
const offlineDefault = { endpointId: "offline", modelId: "offline" };

describe("parseEndpointsEnv", () => {
  it("lists only the offline model when nothing is configured", () => {
    expect(parseEndpointsEnv({})).toEqual({
      endpoints: [],
      offlineModel: { listed: true, contextTokens: 4000 },
      defaultModel: offlineDefault,
    });
  });

  it("accepts .env.example as it is", () => {
    expect(parseEndpointsEnv(envExample())).toEqual(parseEndpointsEnv({}));
  });

  it("turns AI_BASE_URL and AI_MODEL into the endpoint 'default' with that one model", () => {
    const env = parseEndpointsEnv({
      AI_BASE_URL: "https://llm.example.com/v1",
      AI_API_KEY: "k",
      AI_MODEL: "some-model",
    });
    expect(env.endpoints).toEqual([
      {
        id: "default",
        name: "default",
        baseURL: "https://llm.example.com/v1",
        apiKey: "k",
        models: ["some-model"],
        contextTokens: 8000,
      },
    ]);
    expect(env.defaultModel).toEqual({ endpointId: "default", modelId: "some-model" });
    expect(env.offlineModel).toEqual({ listed: true, contextTokens: 4000 });
  });

  it("gives AI_CONTEXT_TOKENS to the single endpoint, or to the offline model when alone", () => {
    const remote = parseEndpointsEnv({
      AI_BASE_URL: "http://127.0.0.1:9/v1",
      AI_MODEL: "m",
      AI_CONTEXT_TOKENS: "32000",
    });
    expect(remote.endpoints[0]?.contextTokens).toBe(32000);
    expect(parseEndpointsEnv({ AI_CONTEXT_TOKENS: "1234" }).offlineModel.contextTokens).toBe(1234);
  });

  it("reads AI_ENDPOINTS, naming an endpoint by its id when it has no name", () => {
    const env = withEndpoints([ollama, hosted]);
    expect(env.endpoints).toEqual([
      { ...ollama, apiKey: undefined, models: undefined, contextTokens: undefined },
      { ...hosted, name: "hosted" },
    ]);
  });

  it("defaults to the first allow-listed model, else to the offline model", () => {
    expect(withEndpoints([ollama, hosted]).defaultModel).toEqual({
      endpointId: "hosted",
      modelId: "meta-llama/Llama-3-8B",
    });
    expect(withEndpoints([ollama]).defaultModel).toEqual(offlineDefault);
  });

  it("splits AI_DEFAULT_MODEL at its first slash", () => {
    const env = withEndpoints([ollama, hosted], { AI_DEFAULT_MODEL: "ollama/llama3.1:8b" });
    expect(env.defaultModel).toEqual({ endpointId: "ollama", modelId: "llama3.1:8b" });
    const nested = withEndpoints([hosted], { AI_DEFAULT_MODEL: "hosted/meta-llama/Llama-3-8B" });
    expect(nested.defaultModel).toEqual({ endpointId: "hosted", modelId: "meta-llama/Llama-3-8B" });
  });

  it("hides the offline model when asked and an endpoint is configured", () => {
    const env = withEndpoints([hosted], { AI_HIDE_OFFLINE_MODEL: "true" });
    expect(env.offlineModel.listed).toBe(false);
    expect(withEndpoints([hosted], { AI_HIDE_OFFLINE_MODEL: "false" }).offlineModel.listed).toBe(
      true,
    );
  });

  it.each([
    ["not JSON", "[{", /AI_ENDPOINTS: is not valid JSON/],
    ["not an array", "{}", /AI_ENDPOINTS: .*array/],
    ["an empty array", "[]", /AI_ENDPOINTS: must list at least one endpoint/],
    ["an id with capitals", [{ ...ollama, id: "Ollama" }], /AI_ENDPOINTS\.0\.id: must be 1–32/],
    ["an id too long", [{ ...ollama, id: "a".repeat(33) }], /AI_ENDPOINTS\.0\.id/],
    [
      "the reserved id",
      [{ ...ollama, id: "offline" }],
      /AI_ENDPOINTS\.0\.id: "offline" is reserved/,
    ],
    [
      "an id twice",
      [ollama, { ...hosted, id: "ollama" }],
      /AI_ENDPOINTS\.1\.id: "ollama" is used twice/,
    ],
    ["no baseURL", [{ id: "x" }], /AI_ENDPOINTS\.0\.baseURL/],
    ["a baseURL not http", [{ ...ollama, baseURL: "ftp://host/v1" }], /AI_ENDPOINTS\.0\.baseURL/],
    ["an unknown field", [{ ...ollama, baseUrl: "http://x" }], /AI_ENDPOINTS\.0: .*baseUrl/],
    ["an empty model id", [{ ...ollama, models: [""] }], /AI_ENDPOINTS\.0\.models\.0/],
    [
      "a model id too long",
      [{ ...ollama, models: ["m".repeat(201)] }],
      /AI_ENDPOINTS\.0\.models\.0/,
    ],
    ["zero context tokens", [{ ...ollama, contextTokens: 0 }], /AI_ENDPOINTS\.0\.contextTokens/],
    [
      "a fractional context size",
      [{ ...ollama, contextTokens: { m: 1.5 } }],
      /AI_ENDPOINTS\.0\.contextTokens/,
    ],
  ])("refuses AI_ENDPOINTS with %s", (_, endpoints, message) => {
    const text = typeof endpoints === "string" ? endpoints : JSON.stringify(endpoints);
    expect(() => parseEndpointsEnv({ AI_ENDPOINTS: text })).toThrow(message);
  });

  it.each(["AI_BASE_URL", "AI_MODEL", "AI_API_KEY", "AI_CONTEXT_TOKENS"])(
    "refuses AI_ENDPOINTS together with %s, saying which to use",
    (name) => {
      const legacy = { AI_BASE_URL: "http://127.0.0.1:9/v1", AI_MODEL: "m" } as Record<
        string,
        string
      >;
      const source = name === "AI_BASE_URL" || name === "AI_MODEL" ? legacy : { [name]: "1" };
      expect(() => withEndpoints([ollama], source)).toThrow(
        new RegExp(
          `AI_ENDPOINTS: cannot be combined with .*${name}.*AI_BASE_URL and AI_MODEL alone`,
        ),
      );
    },
  );

  it.each([
    ["no slash", "ollama", /AI_DEFAULT_MODEL: must be <endpoint id>\/<model id>/],
    [
      "an unknown endpoint",
      "nowhere/m",
      /AI_DEFAULT_MODEL: names the endpoint "nowhere", which is not configured \(configured: ollama, hosted, offline\)/,
    ],
    [
      "a model outside the allow-list",
      "hosted/other",
      /AI_DEFAULT_MODEL: "other" is not in the models list of the endpoint "hosted"/,
    ],
    [
      "an offline model that is not the offline one",
      "offline/x",
      /AI_DEFAULT_MODEL: "offline\/x" is not a listed model/,
    ],
  ])("refuses AI_DEFAULT_MODEL with %s", (_, value, message) => {
    expect(() => withEndpoints([ollama, hosted], { AI_DEFAULT_MODEL: value })).toThrow(message);
  });

  it("refuses to hide the offline model when no endpoint is configured", () => {
    expect(() => parseEndpointsEnv({ AI_HIDE_OFFLINE_MODEL: "true" })).toThrow(
      /AI_HIDE_OFFLINE_MODEL: can only be true when an endpoint is configured/,
    );
  });

  it("refuses the hidden offline model as the default", () => {
    expect(() =>
      withEndpoints([hosted], {
        AI_HIDE_OFFLINE_MODEL: "true",
        AI_DEFAULT_MODEL: "offline/offline",
      }),
    ).toThrow(/AI_DEFAULT_MODEL: "offline\/offline" is not a listed model/);
    expect(() => withEndpoints([ollama], { AI_HIDE_OFFLINE_MODEL: "true" })).toThrow(
      /AI_DEFAULT_MODEL: is required when the offline model is hidden/,
    );
  });

  it("refuses an AI_HIDE_OFFLINE_MODEL that is not true or false", () => {
    expect(() => withEndpoints([hosted], { AI_HIDE_OFFLINE_MODEL: "yes" })).toThrow(
      /AI_HIDE_OFFLINE_MODEL/,
    );
  });

  it("still refuses the single-endpoint variables' own mistakes", () => {
    expect(() => parseEndpointsEnv({ AI_BASE_URL: "http://127.0.0.1:9/v1" })).toThrow(/AI_MODEL/);
  });
});

describe("endpointsEnv", () => {
  it("parses any source but process.env on every call", () => {
    expect(endpointsEnv({ AI_DEFAULT_MODEL: "offline/offline" }).defaultModel).toEqual(
      offlineDefault,
    );
    expect(() => endpointsEnv({ AI_DEFAULT_MODEL: "nowhere/m" })).toThrow(/nowhere/);
  });
});

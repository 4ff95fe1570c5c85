import { describe, expect, it } from "vitest";
import { MAX_MODELS_ANSWER_BYTES } from "./endpoint-models";
import { parseEndpointsEnv } from "./endpoints-env";
import { createModelCatalog, findModel } from "./model-catalog";

const LOCAL = "http://local.test/v1";
const HOSTED = "https://hosted.test/v1";

type Answer = Response | "refuse" | "hang" | ((signal: AbortSignal) => Promise<Response>);

/** A fetch that answers per URL and records every call; no network. */
function fakeFetch(answers: Record<string, () => Answer>) {
  const calls: Array<{ url: string; authorization: string | null }> = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, authorization: new Headers(init?.headers).get("authorization") });
    const answer = answers[url]?.() ?? "refuse";
    if (answer === "refuse") throw new TypeError("fetch failed");
    if (answer === "hang") return new Promise<Response>(() => {});
    if (typeof answer === "function") return answer(init?.signal as AbortSignal);
    return answer;
  };
  return { fetch: fetchFn as typeof fetch, calls };
}

/** Lets a refresh started in the background finish (the fake fetch answers in microtasks). */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

const modelsJson = (data: unknown[]) => () => Response.json({ object: "list", data });

function setup(
  endpoints: unknown[],
  answers: Record<string, () => Answer>,
  extra: Record<string, string> = {},
) {
  const env = parseEndpointsEnv({ AI_ENDPOINTS: JSON.stringify(endpoints), ...extra });
  const fake = fakeFetch(answers);
  const logs: string[] = [];
  const clock = { time: 0 };
  const catalog = createModelCatalog(env, {
    fetch: fake.fetch,
    now: () => clock.time,
    log: (line) => logs.push(line),
    timeoutMs: 50,
  });
  return { catalog, calls: fake.calls, logs, clock };
}

const local = { id: "local", name: "Local Ollama", baseURL: LOCAL };
const hosted = { id: "hosted", baseURL: HOSTED, apiKey: "sk-secret", models: ["b", "a"] };

describe("the model catalog", () => {
  it("lists each endpoint's models, then the offline model, and the default", async () => {
    const { catalog, calls } = setup([local, hosted], {
      [`${LOCAL}/models`]: modelsJson([{ id: "llama3.1:8b" }, { id: "qwen2.5" }]),
      [`${HOSTED}/models`]: modelsJson([{ id: "a" }, { id: "b" }, { id: "c" }]),
    });
    const listed = await catalog.listModels();
    expect(listed.models.map((m) => [m.endpointId, m.modelId, m.available])).toEqual([
      ["local", "llama3.1:8b", true],
      ["local", "qwen2.5", true],
      ["hosted", "b", true],
      ["hosted", "a", true],
      ["offline", "offline", true],
    ]);
    expect(listed.models[0]).toEqual({
      endpointId: "local",
      endpointName: "Local Ollama",
      modelId: "llama3.1:8b",
      label: "llama3.1:8b",
      available: true,
      contextTokens: 8000,
    });
    expect(listed.default).toEqual({ endpointId: "hosted", modelId: "b" });
    expect(listed.unavailableEndpoints).toEqual([]);
    expect(calls).toEqual([
      { url: `${LOCAL}/models`, authorization: null },
      { url: `${HOSTED}/models`, authorization: "Bearer sk-secret" },
    ]);
  });

  it("keeps only allow-listed models the endpoint serves", async () => {
    const { catalog } = setup([hosted], { [`${HOSTED}/models`]: modelsJson([{ id: "a" }]) });
    const { models } = await catalog.listModels();
    expect(models.map((m) => m.modelId)).toEqual(["a", "offline"]);
  });

  it.each([
    ["refuses connections", () => "refuse" as const, "unreachable"],
    ["answers 500", () => Response.json({ error: "boom" }, { status: 500 }), "HTTP 500"],
    ["answers HTML", () => new Response("<html>proxy error</html>"), "bad answer"],
    ["answers JSON of another shape", () => Response.json({ models: ["a"] }), "bad answer"],
    [
      "answers a list too long to read",
      () =>
        new Response(`{"data":[${'{"id":"x"},'.repeat(MAX_MODELS_ANSWER_BYTES / 10)}{"id":"y"}]}`),
      "bad answer",
    ],
    ["never answers", () => "hang" as const, "timeout"],
    [
      "sends headers, then nothing",
      () => (signal: AbortSignal) =>
        Promise.resolve(
          new Response(
            new ReadableStream({
              start(controller) {
                signal.addEventListener("abort", () => controller.error(signal.reason));
              },
            }),
          ),
        ),
      "timeout",
    ],
  ])("shows an endpoint that %s as unavailable, and logs it once", async (_, answer, failure) => {
    const { catalog, logs } = setup([local, hosted], {
      [`${HOSTED}/models`]: answer as () => Answer,
    });
    const listed = await catalog.listModels();
    expect(listed.models.map((m) => [m.endpointId, m.modelId, m.available])).toEqual([
      ["hosted", "b", false],
      ["hosted", "a", false],
      ["offline", "offline", true],
    ]);
    expect(listed.unavailableEndpoints).toEqual(["local", "hosted"]);
    await catalog.listModels();
    expect(logs).toEqual([
      `[models] endpoint "local" is unavailable: unreachable`,
      `[models] endpoint "hosted" is unavailable: ${failure}`,
    ]);
    expect(logs.join("\n")).not.toContain("sk-secret");
  });

  it("never logs the answer's body", async () => {
    const { catalog, logs } = setup([hosted], {
      [`${HOSTED}/models`]: () => new Response("secret-body", { status: 401 }),
    });
    await catalog.listModels();
    expect(logs).toEqual([`[models] endpoint "hosted" is unavailable: HTTP 401`]);
  });

  it("reuses an answer for a minute and a failure for ten seconds, then answers with it while asking again", async () => {
    let up = false;
    const { catalog, calls, clock, logs } = setup([hosted], {
      [`${HOSTED}/models`]: () => (up ? modelsJson([{ id: "a" }])() : "refuse"),
    });
    await catalog.listModels();
    up = true;
    clock.time = 9_999;
    expect((await catalog.listModels()).models[0]?.available).toBe(false);
    expect(calls).toHaveLength(1);
    // Expired: the failure is answered at once, and the endpoint asked again meanwhile.
    clock.time = 10_000;
    expect((await catalog.listModels()).models[0]?.available).toBe(false);
    expect(calls).toHaveLength(2);
    await settled();
    expect((await catalog.listModels()).models[0]?.available).toBe(true);
    up = false;
    clock.time = 69_999;
    expect((await catalog.listModels()).models[0]?.available).toBe(true);
    expect(calls).toHaveLength(2);
    clock.time = 70_000;
    expect((await catalog.listModels()).models[0]?.available).toBe(true);
    await settled();
    expect((await catalog.listModels()).models[0]?.available).toBe(false);
    expect(calls).toHaveLength(3);
    expect(logs).toHaveLength(2);
  });

  it("shares one request among callers that come while it is out", async () => {
    let answer: (response: Response) => void = () => {};
    const { catalog, calls } = setup([hosted], {
      [`${HOSTED}/models`]: () => () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    const first = catalog.listModels();
    const second = catalog.listModels();
    await Promise.resolve();
    answer(Response.json({ data: [{ id: "a" }] }));
    const [one, two] = await Promise.all([first, second]);
    expect(calls).toHaveLength(1);
    expect(one).toEqual(two);
    expect(one.models[0]).toMatchObject({ modelId: "a", available: true });
  });

  it("takes context sizes from configuration, else from the answer, else the default", async () => {
    const { catalog } = setup(
      [
        { ...local, contextTokens: { m1: 1000 } },
        { ...hosted, models: undefined, contextTokens: 2000 },
      ],
      {
        [`${LOCAL}/models`]: modelsJson([
          { id: "m1", context_length: 111 },
          { id: "m2", context_length: 32768 },
          { id: "m3", max_model_len: 4096 },
          { id: "m4", context_length: -1, max_model_len: "big" },
        ]),
        [`${HOSTED}/models`]: modelsJson([{ id: "h1", context_length: 999 }]),
      },
    );
    const { models } = await catalog.listModels();
    expect(models.map((m) => [m.modelId, m.contextTokens])).toEqual([
      ["m1", 1000],
      ["m2", 32768],
      ["m3", 4096],
      ["m4", 8000],
      ["h1", 2000],
      ["offline", 4000],
    ]);
  });

  it("hides the offline model when configured to", async () => {
    const { catalog } = setup(
      [hosted],
      { [`${HOSTED}/models`]: modelsJson([{ id: "a" }]) },
      {
        AI_HIDE_OFFLINE_MODEL: "true",
      },
    );
    expect((await catalog.listModels()).models.map((m) => m.modelId)).toEqual(["a"]);
  });

  it("lists the single-endpoint model as before, from AI_BASE_URL and AI_MODEL", async () => {
    const env = parseEndpointsEnv({ AI_BASE_URL: `${LOCAL}/`, AI_MODEL: "m" });
    const fake = fakeFetch({ [`${LOCAL}/models`]: modelsJson([{ id: "m" }, { id: "n" }]) });
    const catalog = createModelCatalog(env, { fetch: fake.fetch, log: () => {} });
    const listed = await catalog.listModels();
    expect(listed.models.map((m) => [m.endpointId, m.modelId, m.contextTokens])).toEqual([
      ["default", "m", 8000],
      ["offline", "offline", 4000],
    ]);
    expect(listed.default).toEqual({ endpointId: "default", modelId: "m" });
  });
});

describe("looking a model up in the catalog", () => {
  it("finds an offered model, tells an endpoint that is down from a model nobody offers", async () => {
    const { catalog } = setup([local, hosted], {
      [`${HOSTED}/models`]: modelsJson([{ id: "a" }, { id: "b" }]),
    });
    const listed = await catalog.listModels();
    expect(findModel(listed, { endpointId: "hosted", modelId: "a" })).toMatchObject({
      kind: "listed",
      model: { endpointId: "hosted", modelId: "a", available: true },
    });
    expect(findModel(listed, { endpointId: "offline", modelId: "offline" }).kind).toBe("listed");
    // The local endpoint did not answer and has no allow-list: its models cannot be told.
    expect(findModel(listed, { endpointId: "local", modelId: "llama3.1:8b" }).kind).toBe(
      "endpoint-down",
    );
    // Not in the hosted allow-list, on an endpoint not configured, a model id of another.
    expect(findModel(listed, { endpointId: "hosted", modelId: "c" }).kind).toBe("unknown");
    expect(findModel(listed, { endpointId: "nowhere", modelId: "a" }).kind).toBe("unknown");
    expect(findModel(listed, { endpointId: "offline", modelId: "a" }).kind).toBe("unknown");
  });

  it("finds an allow-listed model of an endpoint that is down, as unavailable", async () => {
    const { catalog } = setup([hosted], {});
    const listed = await catalog.listModels();
    expect(findModel(listed, { endpointId: "hosted", modelId: "b" })).toMatchObject({
      kind: "listed",
      model: { available: false },
    });
  });
});

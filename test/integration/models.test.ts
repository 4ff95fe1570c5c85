import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, messagesOf, readReply, signedInClient } from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { freePort } from "@/test/support/postgres";

describe("GET /api/models with two endpoints, one of them down", () => {
  let live: FakeOpenAI;
  let server: AppServer;
  let alice: ApiClient;
  beforeAll(async () => {
    live = await startFakeOpenAI({ models: ["alpha", "beta:8b"] });
    // A port nothing listens on: the connection is refused, as for a stopped Ollama.
    const deadPort = await freePort();
    server = await startAppServer({
      env: {
        AI_ENDPOINTS: JSON.stringify([
          { id: "live", name: "Live", baseURL: live.baseURL, apiKey: "live-key" },
          { id: "dead", baseURL: `http://127.0.0.1:${deadPort}/v1`, models: ["gamma"] },
        ]),
        AI_DEFAULT_MODEL: "live/beta:8b",
      },
    });
    alice = await signedInClient(server.url);
  });
  afterAll(async () => {
    await server?.kill();
    await live?.close();
  });

  it("lists the live endpoint's models, and the dead one's allow-listed model as unavailable", async () => {
    const response = await alice.fetch("/api/models");
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      models: Array<Record<string, unknown>>;
      default: unknown;
      unavailableEndpoints: string[];
    };
    expect(body.models.map((m) => [m.endpointId, m.modelId, m.available])).toEqual([
      ["live", "alpha", true],
      ["live", "beta:8b", true],
      ["dead", "gamma", false],
      ["offline", "offline", true],
    ]);
    expect(body.models[0]).toEqual({
      endpointId: "live",
      endpointName: "Live",
      modelId: "alpha",
      label: "alpha",
      available: true,
      contextTokens: 8000,
    });
    expect(body.default).toEqual({ endpointId: "live", modelId: "beta:8b" });
    expect(body.unavailableEndpoints).toEqual(["dead"]);
    // The dead endpoint is named in the log, the key never.
    expect(server.output()).toContain(`[models] endpoint "dead" is unavailable: unreachable`);
    expect(server.output()).not.toContain("live-key");
  });

  it("asks each endpoint once per cache period", async () => {
    const before = live.modelListRequests();
    expect(before).toBeGreaterThan(0);
    await alice.fetch("/api/models");
    expect(live.modelListRequests()).toBe(before);
  });

  it("answers a turn with the default model, on its endpoint", async () => {
    const conversationId = crypto.randomUUID();
    const reply = await readReply(await alice.send(conversationId, "Which model?"));
    expect(reply.finish?.status).toBe("complete");
    expect(reply.text).toBe("Fake reply to: Which model?");
    expect(live.requestedModels().at(-1)).toBe("beta:8b");
    const [, stored] = await messagesOf(alice, conversationId);
    expect(stored).toMatchObject({
      role: "assistant",
      status: "complete",
      model: "beta:8b",
      endpoint: "live",
    });
  });

  it("answers 401 when signed out", async () => {
    const response = await new ApiClient(server.url).fetch("/api/models");
    expect(response.status).toBe(401);
  });
});

describe("a bad AI_ENDPOINTS", () => {
  it("stops the start: the process exits, naming the variable", async () => {
    await expect(
      startAppServer({
        env: { AI_ENDPOINTS: JSON.stringify([{ id: "Bad Id", baseURL: "http://127.0.0.1:9/v1" }]) },
        waitFor: "listening",
      }),
    ).rejects.toThrow(/exited early[\s\S]*AI_ENDPOINTS\.0\.id: must be 1–32/);
  });
});

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

  const alpha = { endpointId: "live", modelId: "alpha" };
  const sendWith = (conversationId: string, content: string, model?: unknown) =>
    alice.json(`/api/conversations/${conversationId}/messages`, "POST", {
      id: crypto.randomUUID(),
      content,
      model,
    });
  const conversationOf = async (conversationId: string) =>
    (await (await alice.fetch(`/api/conversations/${conversationId}`)).json()) as {
      model: unknown;
    };

  it("answers a turn with the model the send names, which becomes the conversation's", async () => {
    const conversationId = crypto.randomUUID();
    const reply = await readReply(await sendWith(conversationId, "First", alpha));
    expect(reply.finish?.status).toBe("complete");
    expect(reply.start).toMatchObject({ model: "alpha", endpoint: "live" });
    expect(live.requestedModels().at(-1)).toBe("alpha");
    expect((await conversationOf(conversationId)).model).toEqual(alpha);
    // The next turn names none: the conversation's model answers it.
    await readReply(await alice.send(conversationId, "Second"));
    expect(live.requestedModels().at(-1)).toBe("alpha");
    const stored = await messagesOf(alice, conversationId);
    expect(stored.filter((m) => m.role === "assistant").map((m) => [m.endpoint, m.model])).toEqual([
      ["live", "alpha"],
      ["live", "alpha"],
    ]);
  });

  it("regenerates with another model as a new version, leaving the conversation's model", async () => {
    const conversationId = crypto.randomUUID();
    await readReply(await sendWith(conversationId, "Pick one", alpha));
    const [, first] = await messagesOf(alice, conversationId);
    const regenerated = await alice.json(
      `/api/conversations/${conversationId}/regenerate`,
      "POST",
      {
        messageId: first?.id,
        replyId: crypto.randomUUID(),
        model: { endpointId: "offline", modelId: "offline" },
      },
    );
    expect((await readReply(regenerated)).finish?.status).toBe("complete");
    const [, second] = await messagesOf(alice, conversationId);
    expect(second).toMatchObject({ endpoint: "offline", model: "offline", versionCount: 2 });
    expect((await conversationOf(conversationId)).model).toEqual(alpha);
    // A plain regenerate is the conversation's model's.
    const requests = live.requestedModels().length;
    await readReply(
      await alice.json(`/api/conversations/${conversationId}/regenerate`, "POST", {
        messageId: second?.id,
        replyId: crypto.randomUUID(),
      }),
    );
    expect(live.requestedModels().slice(requests)).toEqual(["alpha"]);
  });

  it("continues a reply with the model that wrote it, though the conversation moved on", async () => {
    const conversationId = crypto.randomUUID();
    await readReply(await sendWith(conversationId, "Start with alpha", alpha));
    const [, reply] = await messagesOf(alice, conversationId);
    const moved = await alice.json(`/api/conversations/${conversationId}`, "PATCH", {
      model: { endpointId: "live", modelId: "beta:8b" },
    });
    expect(moved.status).toBe(200);
    const requests = live.requestedModels().length;
    const continued = await readReply(
      await alice.json(`/api/conversations/${conversationId}/continue`, "POST", {
        messageId: reply?.id,
      }),
    );
    expect(continued.finish?.status).toBe("complete");
    expect(live.requestedModels().slice(requests)).toEqual(["alpha"]);
    // The next turn is the conversation's model's.
    await readReply(await alice.send(conversationId, "Then beta"));
    expect(live.requestedModels().at(-1)).toBe("beta:8b");
  });

  it("changes the conversation's model with PATCH, checked against the list", async () => {
    const conversationId = crypto.randomUUID();
    await readReply(await alice.send(conversationId, "Default first"));
    const changed = await alice.json(`/api/conversations/${conversationId}`, "PATCH", {
      model: alpha,
    });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { model: unknown }).model).toEqual(alpha);
    const unknown = await alice.json(`/api/conversations/${conversationId}`, "PATCH", {
      model: { endpointId: "live", modelId: "not-served" },
      title: "Not stored either",
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: {
        code: "unknown_model",
        message: "The model live/not-served is not offered here. Choose one of GET /api/models.",
      },
    });
    const read = await alice.fetch(`/api/conversations/${conversationId}`);
    expect(await read.json()).toMatchObject({ model: alpha, title: "Default first" });
  });

  it("refuses a send naming a model nobody offers, storing nothing", async () => {
    const conversationId = crypto.randomUUID();
    const requests = live.requestedModels().length;
    for (const model of [
      { endpointId: "live", modelId: "gone" },
      { endpointId: "elsewhere", modelId: "alpha" },
    ]) {
      const response = await sendWith(conversationId, "Hello?", model);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "unknown_model",
      );
    }
    expect(live.requestedModels().length).toBe(requests);
    expect((await alice.fetch(`/api/conversations/${conversationId}`)).status).toBe(404);
  });

  it("refuses a send to an endpoint that is down with 503, unless its allow-list names the model", async () => {
    const conversationId = crypto.randomUUID();
    const down = await sendWith(conversationId, "Anyone?", {
      endpointId: "dead",
      modelId: "delta",
    });
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe(
      "model_unavailable",
    );
    expect((await alice.fetch(`/api/conversations/${conversationId}`)).status).toBe(404);
    // Allow-listed: tried, and the reply fails as any reply whose model cannot be reached.
    const tried = await readReply(
      await sendWith(conversationId, "Anyone?", { endpointId: "dead", modelId: "gamma" }),
    );
    expect(tried.finish?.status).toBe("failed");
  });

  it("refuses a turn on a conversation whose model is no longer offered, until it is changed", async () => {
    // A conversation brought from a deployment whose endpoint this one does not have.
    const file = {
      format: "chatkeep",
      version: 2,
      exportedAt: new Date().toISOString(),
      conversations: [
        {
          id: crypto.randomUUID(),
          title: "From elsewhere",
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          currentLeafId: null,
          model: { endpointId: "retired", modelId: "old-model" },
          messages: [],
        },
      ],
    };
    const imported = await alice.fetch("/api/import", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(file),
    });
    expect(imported.status).toBe(200);
    const list = (await (await alice.fetch("/api/conversations")).json()) as {
      items: Array<{ id: string; title: string; model: unknown }>;
    };
    const conversation = list.items.find((c) => c.title === "From elsewhere");
    expect(conversation?.model).toEqual({ endpointId: "retired", modelId: "old-model" });
    const id = conversation?.id ?? "";

    const refused = await alice.send(id, "Still there?");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: {
        code: "unknown_model",
        message:
          "This conversation's model, retired/old-model, is no longer offered. Choose another model.",
      },
    });
    expect(await messagesOf(alice, id)).toEqual([]);

    const changed = await alice.json(`/api/conversations/${id}`, "PATCH", {
      model: { endpointId: "live", modelId: "beta:8b" },
    });
    expect(changed.status).toBe(200);
    expect((await readReply(await alice.send(id, "Still there?"))).finish?.status).toBe("complete");
    expect(live.requestedModels().at(-1)).toBe("beta:8b");
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

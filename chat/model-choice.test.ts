import { describe, expect, it } from "vitest";
import type { ModelCatalog } from "@/ai/model-catalog";
import { conversationModelState } from "./model-choice";

const listed = (endpointId: string, modelId: string, available = true) => ({
  endpointId,
  endpointName: endpointId,
  modelId,
  label: modelId,
  available,
  contextTokens: 8000,
});

const catalog: ModelCatalog = {
  models: [listed("live", "alpha"), listed("dead", "gamma", false), listed("offline", "offline")],
  default: { endpointId: "live", modelId: "alpha" },
  unavailableEndpoints: ["dead", "down"],
};

describe("the model a conversation's page shows", () => {
  it("is the default for a conversation that has none", () => {
    expect(conversationModelState(catalog, null)).toEqual({ model: catalog.default, gone: false });
  });

  it("is its own while offered, even by an endpoint that is down", () => {
    for (const model of [
      { endpointId: "offline", modelId: "offline" },
      { endpointId: "dead", modelId: "gamma" },
      // An endpoint that is down without an allow-list: not known to be gone.
      { endpointId: "down", modelId: "anything" },
    ]) {
      expect(conversationModelState(catalog, model)).toEqual({ model, gone: false });
    }
  });

  it("is its own, said to be gone, once nothing offers it", () => {
    for (const model of [
      { endpointId: "live", modelId: "retired" },
      { endpointId: "elsewhere", modelId: "alpha" },
    ]) {
      expect(conversationModelState(catalog, model)).toEqual({ model, gone: true });
    }
  });
});

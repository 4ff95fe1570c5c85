import { describe, expect, it } from "vitest";
import {
  type CatalogModel,
  findModel,
  groupModels,
  modelLabel,
  parseModelRef,
  sameModel,
  toModelRef,
} from "./models";

function model(endpointId: string, modelId: string, extra: Partial<CatalogModel> = {}) {
  return {
    endpointId,
    endpointName: endpointId === "local" ? "Local Ollama" : "Hosted API",
    modelId,
    label: modelId,
    available: true,
    contextTokens: 8_192,
    ...extra,
  };
}

const models = [
  model("local", "llama3.1:8b"),
  model("hosted", "gpt-4o-mini", { label: "GPT-4o mini" }),
  model("local", "qwen2.5-coder"),
  model("hosted", "gpt-4o", { label: "GPT-4o", available: false }),
];

describe("groupModels", () => {
  it("groups by endpoint in the catalog's order, each group keeping the models' order", () => {
    expect(
      groupModels(models).map((group) => [group.endpointName, group.models.map((m) => m.modelId)]),
    ).toEqual([
      ["Local Ollama", ["llama3.1:8b", "qwen2.5-coder"]],
      ["Hosted API", ["gpt-4o-mini", "gpt-4o"]],
    ]);
  });

  it("keeps the models whose label, id or endpoint name hold every word, ignoring case", () => {
    const ids = (query: string) =>
      groupModels(models, query).flatMap((group) => group.models.map((m) => m.modelId));
    expect(ids("MINI")).toEqual(["gpt-4o-mini"]);
    // The id matches when the label does not say it.
    expect(ids("4o-mini")).toEqual(["gpt-4o-mini"]);
    expect(ids("ollama coder")).toEqual(["qwen2.5-coder"]);
    expect(ids("  hosted   gpt ")).toEqual(["gpt-4o-mini", "gpt-4o"]);
    expect(ids("claude")).toEqual([]);
    expect(groupModels(models, "claude")).toEqual([]);
  });

  it("lists unavailable models too: the picker shows them disabled", () => {
    expect(groupModels(models, "gpt-4o").flatMap((g) => g.models.map((m) => m.available))).toEqual([
      true,
      false,
    ]);
  });
});

describe("model references", () => {
  const catalog = { models, default: { endpointId: "local", modelId: "llama3.1:8b" } };

  it("finds a model by endpoint and id, and names a missing one by its id", () => {
    expect(findModel(catalog, { endpointId: "hosted", modelId: "gpt-4o" })?.label).toBe("GPT-4o");
    // Same id on another endpoint is another model.
    expect(findModel(catalog, { endpointId: "local", modelId: "gpt-4o" })).toBeNull();
    expect(findModel(catalog, null)).toBeNull();
    expect(modelLabel(catalog, { endpointId: "hosted", modelId: "gpt-4o-mini" })).toBe(
      "GPT-4o mini",
    );
    expect(modelLabel(catalog, { endpointId: "hosted", modelId: "retired" })).toBe("retired");
  });

  it("compares by both ids", () => {
    expect(sameModel({ endpointId: "a", modelId: "m" }, { endpointId: "a", modelId: "m" })).toBe(
      true,
    );
    expect(sameModel({ endpointId: "a", modelId: "m" }, { endpointId: "b", modelId: "m" })).toBe(
      false,
    );
  });

  it("sends only the reference, and reads back only a well-formed one", () => {
    expect(toModelRef(models[1] as CatalogModel)).toEqual({
      endpointId: "hosted",
      modelId: "gpt-4o-mini",
    });
    expect(parseModelRef({ endpointId: "a", modelId: "m", extra: 1 })).toEqual({
      endpointId: "a",
      modelId: "m",
    });
    for (const bad of [null, "a/m", { endpointId: "a" }, { endpointId: "", modelId: "m" }]) {
      expect(parseModelRef(bad)).toBeNull();
    }
  });
});

import { type CatalogModel, type ModelRef, sameModel } from "@/lib/model-ref";

// The models a person can pick, as GET /api/models and the pages describe them, and what the
// picker does with them.

export { modelName } from "@/lib/model-ref";
export type { CatalogModel, ModelRef };
export { sameModel };

export interface ModelCatalog {
  models: CatalogModel[];
  /** What a conversation without a model of its own is answered by. */
  default: ModelRef;
}

/** The picker's list: models of one endpoint under its name, in the catalog's order. */
export interface ModelGroup {
  endpointId: string;
  endpointName: string;
  models: CatalogModel[];
}

// The built-in offline model's endpoint id (ai/endpoints-env.ts): its replies are canned, so the
// header marks it.
const OFFLINE_ENDPOINT_ID = "offline";

export function isOfflineModel(ref: ModelRef): boolean {
  return ref.endpointId === OFFLINE_ENDPOINT_ID;
}

/** Just the reference, as the API takes it (a catalog entry carries more). */
export function toModelRef({ endpointId, modelId }: ModelRef): ModelRef {
  return { endpointId, modelId };
}

export function findModel(catalog: ModelCatalog, ref: ModelRef | null): CatalogModel | null {
  return ref ? (catalog.models.find((model) => sameModel(model, ref)) ?? null) : null;
}

/** The name to show: the catalog's label, or the bare id of a model it no longer lists. */
export function modelLabel(catalog: ModelCatalog, ref: ModelRef): string {
  return findModel(catalog, ref)?.label ?? ref.modelId;
}

/**
 * The models matching `query` (every word, in any order, found in the label, the id or the
 * endpoint's name, ignoring case), grouped by endpoint in the catalog's order.
 */
export function groupModels(models: readonly CatalogModel[], query = ""): ModelGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map<string, ModelGroup>();
  for (const model of models) {
    const haystack = `${model.label} ${model.modelId} ${model.endpointName}`.toLowerCase();
    if (!words.every((word) => haystack.includes(word))) continue;
    let group = groups.get(model.endpointId);
    if (!group) {
      group = { endpointId: model.endpointId, endpointName: model.endpointName, models: [] };
      groups.set(model.endpointId, group);
    }
    group.models.push(model);
  }
  return [...groups.values()];
}

/** A model reference read from storage or a response, or null when it is not one. */
export function parseModelRef(value: unknown): ModelRef | null {
  if (!value || typeof value !== "object") return null;
  const { endpointId, modelId } = value as Record<string, unknown>;
  if (typeof endpointId !== "string" || typeof modelId !== "string") return null;
  if (!endpointId || !modelId) return null;
  return { endpointId, modelId };
}

// Models as both sides name them: what a conversation stores, a request names, a reply records
// and GET /api/models lists. No zod here: the browser imports this file, and zod probes for
// eval as its object schemas load, which the page's Content-Security-Policy reports
// (the request schema is lib/model-ref-schema.ts).

/** One model of one endpoint. */
export interface ModelRef {
  endpointId: string;
  modelId: string;
}

/** One entry of the model list (ai/model-catalog.ts builds it; the API sends it as is). */
export interface CatalogModel extends ModelRef {
  endpointName: string;
  label: string;
  /** False when its endpoint did not answer: listed from the allow-list, not usable now. */
  available: boolean;
  contextTokens: number;
}

export const sameModel = (a: ModelRef, b: ModelRef) =>
  a.endpointId === b.endpointId && a.modelId === b.modelId;

/**
 * A model as one string, `endpoint/model` (the form AI_DEFAULT_MODEL takes): unique in a list,
 * since endpoint ids hold no `/`. For messages and for the picker's item values.
 */
export const modelName = (model: ModelRef) => `${model.endpointId}/${model.modelId}`;

import { z } from "zod";

/** One model of one endpoint: what a conversation stores, a request names and a reply records. */
export interface ModelRef {
  endpointId: string;
  modelId: string;
}

// The shape only: whether an endpoint offers the model is the catalog's question (ai/), asked
// where a request names one. The bounds match AI_ENDPOINTS' (ai/endpoints-env.ts).
export const modelRefSchema = z.strictObject({
  endpointId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "is not an endpoint id"),
  modelId: z.string().min(1).max(200),
});

export const sameModel = (a: ModelRef, b: ModelRef) =>
  a.endpointId === b.endpointId && a.modelId === b.modelId;

/** A model as one line, for messages: `endpoint/model`, the form AI_DEFAULT_MODEL takes. */
export const modelName = (model: ModelRef) => `${model.endpointId}/${model.modelId}`;

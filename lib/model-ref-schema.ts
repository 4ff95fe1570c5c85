import { z } from "zod";

// A model reference in a request or a file. The shape only: whether an endpoint offers the model
// is the catalog's question (ai/), asked where a request names one. The bounds match
// AI_ENDPOINTS' (ai/endpoints-env.ts).
export const modelRefSchema = z.strictObject({
  endpointId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "is not an endpoint id"),
  modelId: z.string().min(1).max(200),
});

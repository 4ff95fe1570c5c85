import "server-only";
import { z } from "zod";
import type { ModelRef } from "@/lib/model-ref";
import { type AiEnv, DEFAULT_CONTEXT_TOKENS, parseAiEnv, withoutBlanks } from "./model-env";

/** The built-in offline model's endpoint and model id: reserved, no configured endpoint uses it. */
export const OFFLINE_ENDPOINT_ID = "offline";
export const OFFLINE_MODEL_ID = "offline";
/** The endpoint id the single-endpoint variables (AI_BASE_URL, AI_MODEL) configure. */
export const LEGACY_ENDPOINT_ID = "default";

export type { ModelRef };

export interface ModelEndpoint {
  id: string;
  name: string;
  baseURL: string;
  apiKey: string | undefined;
  /** The allow-list: when set, only these models are listed. */
  models: string[] | undefined;
  /** Every model's context size, or some models' by id. */
  contextTokens: number | Record<string, number> | undefined;
}

export interface EndpointsEnv {
  endpoints: ModelEndpoint[];
  offlineModel: { listed: boolean; contextTokens: number };
  /** The model new chats start on. */
  defaultModel: ModelRef;
}

const LEGACY_VARIABLES = ["AI_BASE_URL", "AI_MODEL", "AI_API_KEY", "AI_CONTEXT_TOKENS"] as const;

const modelId = z.string().min(1).max(200);
const positiveInteger = z.number().int().positive();

const endpointSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,31}$/,
      "must be 1–32 lower-case letters, digits or '-', starting with a letter or digit",
    )
    .refine((id) => id !== OFFLINE_ENDPOINT_ID, `"${OFFLINE_ENDPOINT_ID}" is reserved`),
  name: z.string().trim().min(1).max(100).optional(),
  baseURL: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1).optional(),
  models: z.array(modelId).min(1).optional(),
  contextTokens: z.union([positiveInteger, z.record(modelId, positiveInteger)]).optional(),
});

const endpointListSchema = z
  .array(endpointSchema)
  .min(1, "must list at least one endpoint")
  .superRefine((endpoints, context) => {
    const seen = new Set<string>();
    for (const [index, endpoint] of endpoints.entries()) {
      if (seen.has(endpoint.id)) {
        context.addIssue({
          code: "custom",
          path: [index, "id"],
          message: `"${endpoint.id}" is used twice`,
        });
      }
      seen.add(endpoint.id);
    }
  });

const endpointsJson = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: "is not valid JSON" });
      return z.NEVER;
    }
  })
  .pipe(endpointListSchema);

const varsSchema = z.object({
  AI_ENDPOINTS: endpointsJson.optional(),
  AI_DEFAULT_MODEL: z
    .string()
    .trim()
    .regex(/^[^/]+\/.+$/, "must be <endpoint id>/<model id>, e.g. ollama/llama3.1:8b")
    .optional(),
  AI_HIDE_OFFLINE_MODEL: z.enum(["true", "false"]).optional(),
});

/**
 * Every configured endpoint, the offline model, and the default. Throws one error naming every
 * bad variable. AI_BASE_URL and AI_MODEL (the single-endpoint form) become the endpoint
 * "default" with that one model, so a deployment configured before AI_ENDPOINTS existed lists
 * exactly the model it has always used.
 */
export function parseEndpointsEnv(source: Record<string, string | undefined>): EndpointsEnv {
  const legacy = parseAiEnv(source);
  const present = withoutBlanks(source);
  const result = varsSchema.safeParse(present);
  if (!result.success) {
    fail(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const vars = result.data;
  const mixed = LEGACY_VARIABLES.filter((name) => name in present);
  if (vars.AI_ENDPOINTS !== undefined && mixed.length > 0) {
    fail([
      `AI_ENDPOINTS: cannot be combined with ${mixed.join(", ")}: describe every endpoint ` +
        "(its apiKey and contextTokens included) in AI_ENDPOINTS and unset those, or use " +
        "AI_BASE_URL and AI_MODEL alone for a single endpoint",
    ]);
  }
  const endpoints =
    vars.AI_ENDPOINTS?.map(toEndpoint) ?? legacyEndpoints(legacy.remote, legacy.contextTokens);
  const hidden = vars.AI_HIDE_OFFLINE_MODEL === "true";
  const problems: string[] = [];
  if (hidden && endpoints.length === 0) {
    problems.push(
      "AI_HIDE_OFFLINE_MODEL: can only be true when an endpoint is configured " +
        "(AI_ENDPOINTS, or AI_BASE_URL and AI_MODEL); otherwise no model is left",
    );
  }
  const chosen = defaultModel(vars.AI_DEFAULT_MODEL, endpoints, !hidden);
  if (typeof chosen === "string") problems.push(chosen);
  if (problems.length > 0 || typeof chosen === "string") fail(problems);
  return {
    endpoints,
    offlineModel: {
      listed: !hidden,
      // AI_CONTEXT_TOKENS is the offline model's budget only when it is the only model.
      contextTokens: legacy.remote ? DEFAULT_CONTEXT_TOKENS.offline : legacy.contextTokens,
    },
    defaultModel: chosen,
  };
}

/** The context size configured for one of an endpoint's models, if any. */
export function configuredContextTokens(
  endpoint: ModelEndpoint,
  modelId: string,
): number | undefined {
  return typeof endpoint.contextTokens === "number"
    ? endpoint.contextTokens
    : endpoint.contextTokens?.[modelId];
}

function fail(problems: string[]): never {
  throw new Error(`Invalid AI environment:\n${problems.map((line) => `  ${line}`).join("\n")}`);
}

function toEndpoint(endpoint: z.infer<typeof endpointSchema>): ModelEndpoint {
  return {
    id: endpoint.id,
    name: endpoint.name ?? endpoint.id,
    baseURL: endpoint.baseURL,
    apiKey: endpoint.apiKey,
    models: endpoint.models,
    contextTokens: endpoint.contextTokens,
  };
}

function legacyEndpoints(remote: AiEnv["remote"], contextTokens: number): ModelEndpoint[] {
  if (remote === undefined) return [];
  return [
    {
      id: LEGACY_ENDPOINT_ID,
      name: LEGACY_ENDPOINT_ID,
      baseURL: remote.baseURL,
      apiKey: remote.apiKey,
      models: [remote.model],
      // What a turn on this model budgets today: AI_CONTEXT_TOKENS, or the remote default.
      contextTokens,
    },
  ];
}

/** The default model, or the problem with AI_DEFAULT_MODEL as a line of the error. */
function defaultModel(
  setting: string | undefined,
  endpoints: ModelEndpoint[],
  offlineListed: boolean,
): ModelRef | string {
  const offline = { endpointId: OFFLINE_ENDPOINT_ID, modelId: OFFLINE_MODEL_ID };
  if (setting === undefined) {
    for (const endpoint of endpoints) {
      const [first] = endpoint.models ?? [];
      if (first !== undefined) return { endpointId: endpoint.id, modelId: first };
    }
    if (offlineListed) return offline;
    return (
      "AI_DEFAULT_MODEL: is required when the offline model is hidden and no endpoint has a " +
      "models list (<endpoint id>/<model id>)"
    );
  }
  // Model ids may hold '/' themselves (meta-llama/Llama-3-8B): the endpoint id ends at the first.
  const slash = setting.indexOf("/");
  const ref = { endpointId: setting.slice(0, slash), modelId: setting.slice(slash + 1) };
  if (ref.endpointId === OFFLINE_ENDPOINT_ID) {
    if (ref.modelId === OFFLINE_MODEL_ID && offlineListed) return ref;
    return `AI_DEFAULT_MODEL: "${setting}" is not a listed model (the offline model is ${OFFLINE_ENDPOINT_ID}/${OFFLINE_MODEL_ID}, and only when not hidden)`;
  }
  const endpoint = endpoints.find((candidate) => candidate.id === ref.endpointId);
  if (endpoint === undefined) {
    const known = [
      ...endpoints.map((candidate) => candidate.id),
      ...(offlineListed ? [OFFLINE_ENDPOINT_ID] : []),
    ];
    return `AI_DEFAULT_MODEL: names the endpoint "${ref.endpointId}", which is not configured (configured: ${known.join(", ")})`;
  }
  if (endpoint.models !== undefined && !endpoint.models.includes(ref.modelId)) {
    return `AI_DEFAULT_MODEL: "${ref.modelId}" is not in the models list of the endpoint "${endpoint.id}"`;
  }
  return ref;
}

let processEnvCache: EndpointsEnv | undefined;

/** The model endpoints. `process.env` is parsed once per process; any other source every call. */
export function endpointsEnv(
  source: Record<string, string | undefined> = process.env,
): EndpointsEnv {
  if (source !== process.env) return parseEndpointsEnv(source);
  processEnvCache ??= parseEndpointsEnv(process.env);
  return processEnvCache;
}

import "server-only";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import {
  configuredContextTokens,
  type EndpointsEnv,
  endpointsEnv,
  LEGACY_ENDPOINT_ID,
  OFFLINE_ENDPOINT_ID,
  OFFLINE_MODEL_ID,
} from "./endpoints-env";
import { type AiEnv, aiEnv, DEFAULT_CONTEXT_TOKENS } from "./model-env";
import { createOfflineModel } from "./offline-model";

export interface ResolvedModel {
  model: LanguageModelV3;
  /** The endpoint it is reached through: a configured id, `default` or `offline`. */
  endpointId: string;
  modelId: string;
  /** Human-readable name for the UI. */
  label: string;
  offline: boolean;
  /** Token budget for system prompt plus history; pass to buildContext. */
  contextTokens: number;
  systemPrompt: string;
}

export const OFFLINE_MODEL_LABEL = "Offline model (built-in)";

// One model per settings object, so one per process in production (the settings are parsed
// once). Building one is not free: the OpenAI-compatible model creates its chunk schema in its
// constructor, and zod compiles a schema on its first parse, so a model built per turn paid for
// both on every turn (docs/performance.md).
const resolvedModels = new WeakMap<AiEnv | EndpointsEnv, ResolvedModel>();

function once(settings: AiEnv | EndpointsEnv, build: () => ResolvedModel): ResolvedModel {
  let resolved = resolvedModels.get(settings);
  if (!resolved) {
    resolved = build();
    resolvedModels.set(settings, resolved);
  }
  return resolved;
}

/**
 * The model a turn uses: the deployment's default model (AI_DEFAULT_MODEL, else the first
 * configured endpoint's first model, else the offline one: ai/endpoints-env.ts). Given
 * single-endpoint settings instead (tests), the model they describe.
 */
export function resolveModel(env?: AiEnv): ResolvedModel {
  if (env) return once(env, () => buildModel(env));
  const endpoints = endpointsEnv();
  return once(endpoints, () => defaultModelOf(endpoints, aiEnv()));
}

/** The default model of a set of endpoints, with the system prompt and offline pace of `ai`. */
export function defaultModelOf(endpoints: EndpointsEnv, ai: AiEnv): ResolvedModel {
  const { endpointId, modelId } = endpoints.defaultModel;
  if (endpointId === OFFLINE_ENDPOINT_ID) {
    return offlineModel(ai, endpoints.offlineModel.contextTokens);
  }
  const endpoint = endpoints.endpoints.find((candidate) => candidate.id === endpointId);
  // endpointsEnv() refuses a default that names no configured endpoint.
  if (!endpoint) throw new Error(`The default model's endpoint "${endpointId}" is not configured`);
  const contextTokens = configuredContextTokens(endpoint, modelId) ?? DEFAULT_CONTEXT_TOKENS.remote;
  return buildChoice(endpoints, ai, { endpointId, modelId, contextTokens });
}

/** A catalog entry's model: the endpoint and model it names, with the context size it lists. */
export interface ModelChoice {
  endpointId: string;
  modelId: string;
  contextTokens: number;
}

// Per settings object, one model per choice: a person's pick is built once per process, like
// the default (see `once`).
const chosenModels = new WeakMap<EndpointsEnv, Map<string, ResolvedModel>>();

/**
 * The model a person chose, reached through its endpoint of `endpoints`. The choice comes from
 * the catalog (ai/model-catalog.ts), which has already checked that the endpoint offers it.
 */
export function chosenModel(
  endpoints: EndpointsEnv,
  ai: AiEnv,
  choice: ModelChoice,
): ResolvedModel {
  let built = chosenModels.get(endpoints);
  if (!built) {
    built = new Map();
    chosenModels.set(endpoints, built);
  }
  const key = JSON.stringify([choice.endpointId, choice.modelId, choice.contextTokens]);
  let resolved = built.get(key);
  if (!resolved) {
    resolved = buildChoice(endpoints, ai, choice);
    built.set(key, resolved);
  }
  return resolved;
}

function buildChoice(endpoints: EndpointsEnv, ai: AiEnv, choice: ModelChoice): ResolvedModel {
  const { endpointId, modelId, contextTokens } = choice;
  if (endpointId === OFFLINE_ENDPOINT_ID) return offlineModel(ai, contextTokens);
  const endpoint = endpoints.endpoints.find((candidate) => candidate.id === endpointId);
  if (!endpoint) throw new Error(`The endpoint "${endpointId}" is not configured`);
  return {
    systemPrompt: ai.systemPrompt,
    contextTokens,
    model: openAICompatible(endpoint.baseURL, endpoint.apiKey).chatModel(modelId),
    endpointId,
    modelId,
    label: modelId,
    offline: false,
  };
}

function buildModel(env: AiEnv): ResolvedModel {
  if (env.remote === undefined) return offlineModel(env, env.contextTokens);
  return {
    systemPrompt: env.systemPrompt,
    contextTokens: env.contextTokens,
    model: openAICompatible(env.remote.baseURL, env.remote.apiKey).chatModel(env.remote.model),
    endpointId: LEGACY_ENDPOINT_ID,
    modelId: env.remote.model,
    label: env.remote.model,
    offline: false,
  };
}

function offlineModel(env: AiEnv, contextTokens: number): ResolvedModel {
  return {
    systemPrompt: env.systemPrompt,
    contextTokens,
    model: createOfflineModel(env.offline),
    endpointId: OFFLINE_ENDPOINT_ID,
    modelId: OFFLINE_MODEL_ID,
    label: OFFLINE_MODEL_LABEL,
    offline: true,
  };
}

function openAICompatible(baseURL: string, apiKey: string | undefined) {
  return createOpenAICompatible({
    name: "openai-compatible",
    baseURL,
    apiKey,
    // Without this, OpenAI-style servers send no token counts in streaming responses.
    includeUsage: true,
  });
}

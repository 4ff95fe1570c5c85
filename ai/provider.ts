import "server-only";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { type AiEnv, aiEnv } from "./model-env";
import { createOfflineModel } from "./offline-model";

export interface ResolvedModel {
  model: LanguageModelV3;
  modelId: string;
  /** Human-readable name for the UI. */
  label: string;
  offline: boolean;
  /** Token budget for system prompt plus history; pass to buildContext. */
  contextTokens: number;
  systemPrompt: string;
}

export const OFFLINE_MODEL_LABEL = "Offline model (built-in)";

// One model per settings object, so one per process in production (`aiEnv()` is parsed once).
// Building one is not free: the OpenAI-compatible model creates its chunk schema in its
// constructor, and zod compiles a schema on its first parse, so a model built per turn paid
// for both on every turn (docs/performance.md).
const resolvedModels = new WeakMap<AiEnv, ResolvedModel>();

/** The configured model: an OpenAI-compatible server when AI_BASE_URL is set, else offline. */
export function resolveModel(env: AiEnv = aiEnv()): ResolvedModel {
  let resolved = resolvedModels.get(env);
  if (!resolved) {
    resolved = buildModel(env);
    resolvedModels.set(env, resolved);
  }
  return resolved;
}

function buildModel(env: AiEnv): ResolvedModel {
  const shared = { contextTokens: env.contextTokens, systemPrompt: env.systemPrompt };
  if (env.remote === undefined) {
    return {
      ...shared,
      model: createOfflineModel(env.offline),
      modelId: "offline",
      label: OFFLINE_MODEL_LABEL,
      offline: true,
    };
  }
  const provider = createOpenAICompatible({
    name: "openai-compatible",
    baseURL: env.remote.baseURL,
    apiKey: env.remote.apiKey,
    // Without this, OpenAI-style servers send no token counts in streaming responses.
    includeUsage: true,
  });
  return {
    ...shared,
    model: provider.chatModel(env.remote.model),
    modelId: env.remote.model,
    label: env.remote.model,
    offline: false,
  };
}

import "server-only";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { streamText } from "ai";
import type { ContextMessage } from "./context";
import { type AiEnv, aiEnv } from "./env";
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

/** The configured model: an OpenAI-compatible server when AI_BASE_URL is set, else offline. */
export function resolveModel(env: AiEnv = aiEnv()): ResolvedModel {
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

export interface StreamReplyOptions {
  model: LanguageModelV3;
  system: string;
  messages: ContextMessage[];
  abortSignal?: AbortSignal;
  /** Retries for failures before the first token (HTTP 429/5xx, network). SDK default: 2. */
  maxRetries?: number;
  /** Observes every error; replaces the SDK default, which is console.error. */
  onError?: (error: unknown) => void;
}

/**
 * Starts a reply. The model request is sent at once, but its output is only pulled as fast as
 * somebody reads the result: read `fullStream` (or call `consumeStream()`) on the server so the
 * reply keeps being generated, and saved, even if the browser goes away.
 */
export function streamReply({
  model,
  system,
  messages,
  abortSignal,
  maxRetries,
  onError,
}: StreamReplyOptions) {
  return streamText({
    model,
    system,
    messages,
    abortSignal,
    maxRetries,
    ...(onError ? { onError: ({ error }: { error: unknown }) => onError(error) } : {}),
  });
}

export type ReplyStream = ReturnType<typeof streamReply>;

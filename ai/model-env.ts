import "server-only";
import { z } from "zod";

export const DEFAULT_SYSTEM_PROMPT =
  "You are Chatkeep, a helpful assistant. Answer clearly and concisely. " +
  "If a request is ambiguous, ask a short clarifying question.";

// A real model gets a larger history budget than the offline one, whose replies only quote the
// conversation; the smaller offline budget makes context trimming visible in development.
export const DEFAULT_CONTEXT_TOKENS = { remote: 8000, offline: 4000 } as const;

const integerFromString = (min: number) => z.coerce.number().int().min(min);

const aiEnvSchema = z
  .object({
    AI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    AI_API_KEY: z.string().optional(),
    AI_MODEL: z.string().trim().min(1).optional(),
    AI_CONTEXT_TOKENS: integerFromString(1).optional(),
    AI_SYSTEM_PROMPT: z.string().optional(),
    OFFLINE_MODEL_REPLY_WORDS: integerFromString(1).default(60),
    OFFLINE_MODEL_TOKEN_DELAY_MS: integerFromString(0).default(20),
  })
  .superRefine((vars, context) => {
    if (vars.AI_BASE_URL !== undefined && vars.AI_MODEL === undefined) {
      context.addIssue({
        code: "custom",
        path: ["AI_MODEL"],
        message: "is required when AI_BASE_URL is set (the model name the server should use)",
      });
    }
  });

// Deployment tooling and .env files write `VAR=` for "unset": drop blank values before
// validation, so each variable gets its default instead of an error.
export function withoutBlanks(source: Record<string, string | undefined>) {
  return Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
}

export interface AiEnv {
  /** Set only when a real OpenAI-compatible server is configured; otherwise the offline model. */
  remote: { baseURL: string; apiKey: string | undefined; model: string } | undefined;
  /** Token budget for the system prompt plus conversation history sent to the model. */
  contextTokens: number;
  systemPrompt: string;
  offline: { replyWords: number; tokenDelayMs: number };
}

export function parseAiEnv(source: Record<string, string | undefined>): AiEnv {
  const result = aiEnvSchema.safeParse(withoutBlanks(source));
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid AI environment:\n${problems}`);
  }
  const vars = result.data;
  const remote =
    vars.AI_BASE_URL !== undefined && vars.AI_MODEL !== undefined
      ? { baseURL: vars.AI_BASE_URL, apiKey: vars.AI_API_KEY, model: vars.AI_MODEL }
      : undefined;
  return {
    remote,
    contextTokens: vars.AI_CONTEXT_TOKENS ?? DEFAULT_CONTEXT_TOKENS[remote ? "remote" : "offline"],
    systemPrompt: vars.AI_SYSTEM_PROMPT ?? DEFAULT_SYSTEM_PROMPT,
    offline: {
      replyWords: vars.OFFLINE_MODEL_REPLY_WORDS,
      tokenDelayMs: vars.OFFLINE_MODEL_TOKEN_DELAY_MS,
    },
  };
}

let processEnvCache: AiEnv | undefined;

/**
 * The AI settings. `process.env` is parsed once per process (it does not change at runtime);
 * any other source is parsed on every call, which is what tests want.
 */
export function aiEnv(source: Record<string, string | undefined> = process.env): AiEnv {
  if (source !== process.env) return parseAiEnv(source);
  processEnvCache ??= parseAiEnv(process.env);
  return processEnvCache;
}

import "server-only";
import {
  APICallError,
  type LanguageModelV3,
  type LanguageModelV3Message,
  type LanguageModelV3Prompt,
} from "@ai-sdk/provider";
import type { ContextMessage } from "./context";

export type ModelPart =
  | { type: "text"; text: string }
  | {
      type: "finish";
      finishReason: string;
      inputTokens: number | null;
      outputTokens: number | null;
    };

export interface StreamModelOptions {
  model: LanguageModelV3;
  system: string;
  messages: ContextMessage[];
  abortSignal?: AbortSignal;
  /** Retries of a failed request before any output (HTTP 408/409/429/5xx, network). */
  maxRetries?: number;
  /** The wait before the first retry; it doubles for each one after. */
  retryDelayMs?: number;
}

/**
 * A reply straight from the model's own stream (the provider interface, `doStream`), as text and
 * a finish. `streamText` would carry every token through half a dozen web-stream stages and a
 * tee: with 200 replies streaming at once that was 12 times the CPU of reading the model's
 * stream directly, and made the replies three times slower than the model (docs/performance.md).
 * The reply flow needs none of what those stages add (tools, steps, UI streams, telemetry).
 *
 * A failure throws: the request's APICallError (after the retries), an `error` part's error, a
 * connection lost mid-reply; an abort throws the signal's AbortError. The caller keeps whatever
 * text arrived before.
 */
export async function* streamModelReply({
  model,
  system,
  messages,
  abortSignal,
  maxRetries = 2,
  retryDelayMs = 2_000,
}: StreamModelOptions): AsyncGenerator<ModelPart> {
  const prompt: LanguageModelV3Prompt = [
    { role: "system", content: system },
    ...messages.map(toModelMessage),
  ];
  const { stream } = await withRetries(
    () => model.doStream({ prompt, abortSignal }),
    maxRetries,
    retryDelayMs,
    abortSignal,
  );
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) return;
      if (part.type === "text-delta") {
        if (part.delta) yield { type: "text", text: part.delta };
      } else if (part.type === "error") {
        throw part.error instanceof Error ? part.error : new Error(String(part.error));
      } else if (part.type === "finish") {
        yield {
          type: "finish",
          finishReason: part.finishReason.unified,
          inputTokens: part.usage.inputTokens.total ?? null,
          outputTokens: part.usage.outputTokens.total ?? null,
        };
      }
    }
  } finally {
    // Stops the model's request when the caller stops reading early.
    reader.cancel().catch(() => {});
  }
}

function toModelMessage({ role, content }: ContextMessage): LanguageModelV3Message {
  const text = [{ type: "text" as const, text: content }];
  // One branch per role: the two roles' message types differ in what else they may hold.
  return role === "user" ? { role, content: text } : { role, content: text };
}

/** Retries what the provider marks retryable, with exponential backoff; an abort ends the wait. */
async function withRetries<T>(
  call: () => PromiseLike<T>,
  maxRetries: number,
  delayMs: number,
  signal: AbortSignal | undefined,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable = APICallError.isInstance(error) && error.isRetryable;
      if (!retryable || attempt >= maxRetries || signal?.aborted) throw error;
      await wait(delayMs * 2 ** attempt, signal);
    }
  }
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

import "server-only";
import type {
  LanguageModelV3,
  LanguageModelV3FinishReason,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { estimateTokens } from "./context";
import { composeOfflineReply, type OfflineTurn, splitIntoDeltas } from "./offline-reply";

export interface OfflineModelOptions {
  /** Total words in a complete reply (a continuation streams only the missing words). */
  replyWords: number;
  /** Pause before each streamed word, so the UI sees a realistic token-by-token stream. */
  tokenDelayMs: number;
}

const TEXT_PART_ID = "offline-text";
const STOP: LanguageModelV3FinishReason = { unified: "stop", raw: "stop" };

/**
 * A language model that needs no network: it answers deterministically from the prompt it is
 * given, so development, tests and demos behave the same everywhere.
 */
export function createOfflineModel({ replyWords, tokenDelayMs }: OfflineModelOptions) {
  const model: LanguageModelV3 = {
    specificationVersion: "v3",
    provider: "chatkeep",
    modelId: "offline",
    supportedUrls: {},

    async doGenerate({ prompt, abortSignal }) {
      throwIfAborted(abortSignal);
      const { text, inputTokens } = planReply(prompt, replyWords);
      return {
        content: text === "" ? [] : [{ type: "text", text }],
        finishReason: STOP,
        usage: usage(inputTokens, splitIntoDeltas(text).length),
        warnings: [],
      };
    },

    async doStream({ prompt, abortSignal }) {
      throwIfAborted(abortSignal);
      const { text, inputTokens } = planReply(prompt, replyWords);
      const deltas = splitIntoDeltas(text);
      // Stops pending timers when the consumer cancels, not only when the caller aborts.
      const cancelled = new AbortController();
      const signal = abortSignal
        ? AbortSignal.any([abortSignal, cancelled.signal])
        : cancelled.signal;
      const parts = replyParts(deltas, inputTokens, tokenDelayMs, signal);
      return { stream: pullFrom(parts, () => cancelled.abort()) };
    },
  };
  return model;
}

/**
 * What to say: the full reply for the conversation, minus any partial reply already written.
 * A trailing assistant message is a reply that was interrupted; continuing it from where it
 * stopped lets the caller append the new text to the stored partial.
 */
function planReply(prompt: LanguageModelV3Prompt, replyWords: number) {
  const conversation: OfflineTurn[] = [];
  let inputTokens = 0;
  for (const message of prompt) {
    const text = messageText(message);
    inputTokens += estimateTokens(text);
    if (message.role === "user" || message.role === "assistant") {
      conversation.push({ role: message.role, text });
    }
  }

  const lastTurn = conversation.at(-1);
  const partial = lastTurn?.role === "assistant" ? lastTurn.text : undefined;
  if (partial !== undefined) conversation.pop();
  const fullReply = composeOfflineReply(conversation, replyWords);
  const text =
    partial !== undefined && fullReply.startsWith(partial)
      ? fullReply.slice(partial.length)
      : fullReply;
  return { text, inputTokens };
}

function messageText(message: LanguageModelV3Prompt[number]): string {
  if (typeof message.content === "string") return message.content;
  let text = "";
  for (const part of message.content) {
    if (part.type === "text") text += part.text;
  }
  return text;
}

async function* replyParts(
  deltas: readonly string[],
  inputTokens: number,
  tokenDelayMs: number,
  signal: AbortSignal,
): AsyncGenerator<LanguageModelV3StreamPart> {
  yield { type: "stream-start", warnings: [] };
  yield { type: "response-metadata", modelId: "offline", timestamp: new Date() };
  if (deltas.length > 0) {
    yield { type: "text-start", id: TEXT_PART_ID };
    for (const delta of deltas) {
      await pause(tokenDelayMs, signal);
      yield { type: "text-delta", id: TEXT_PART_ID, delta };
    }
    yield { type: "text-end", id: TEXT_PART_ID };
  }
  yield { type: "finish", finishReason: STOP, usage: usage(inputTokens, deltas.length) };
}

// Pull-based so a slow reader applies backpressure instead of buffering the whole reply.
function pullFrom<T>(parts: AsyncGenerator<T>, onCancel: () => void): ReadableStream<T> {
  return new ReadableStream<T>({
    async pull(controller) {
      try {
        const next = await parts.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      onCancel();
      await parts.return(undefined);
    },
  });
}

// Always yields to the event loop, even at 0 ms, so an abort can land between any two words.
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function throwIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw abortError(signal);
}

// The AI SDK turns a stream error into a clean "abort" part only when the error looks like an
// abort (name AbortError/TimeoutError); `controller.abort("reason")` would otherwise surface
// as a model failure.
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && (reason.name === "AbortError" || reason.name === "TimeoutError")) {
    return reason;
  }
  return new DOMException("The offline model call was aborted.", "AbortError");
}

function usage(inputTokens: number, outputTokens: number): LanguageModelV3Usage {
  return {
    inputTokens: {
      total: inputTokens,
      noCache: inputTokens,
      cacheRead: undefined,
      cacheWrite: undefined,
    },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
  };
}

import "server-only";
import { z } from "zod";
import type { ModelEndpoint } from "./endpoints-env";

/** One model an endpoint's `GET /models` named, with the context size it gave, if any. */
export interface ListedModel {
  id: string;
  contextTokens: number | undefined;
}

export type EndpointModels =
  | { ok: true; models: ListedModel[] }
  | { ok: false; failure: "timeout" | "unreachable" | "bad answer" | `HTTP ${number}` };

export interface EndpointModelsOptions {
  fetch: typeof fetch;
  now: () => number;
  log: (line: string) => void;
  timeoutMs: number;
  /** How long an answer, and a failure, is reused before the endpoint is asked again. */
  answerTtlMs: number;
  failureTtlMs: number;
}

const positiveInteger = z.number().int().positive();
/**
 * The most of a `/models` answer that is read: about 10,000 models with their details. A list
 * longer than that is a broken or hostile server, and reading it whole could use up memory.
 */
export const MAX_MODELS_ANSWER_BYTES = 2 * 1024 * 1024;

// The OpenAI list format. Some servers add the context size per model: OpenRouter and LM
// Studio as `context_length`, vLLM as `max_model_len`; anything else there is ignored.
const modelsAnswer = z.object({
  data: z.array(
    z.object({
      id: z.string().min(1).max(200),
      context_length: z.unknown().optional(),
      max_model_len: z.unknown().optional(),
    }),
  ),
});

/**
 * Asks one endpoint which models it serves, at most once per cache period: the answer (or the
 * failure) is reused until it expires, and callers that come while a request is out share it.
 * Once it has expired, callers still get it at once while a new one is asked for: a page or a
 * turn on a chosen model waits on the endpoint only the very first time (stale-while-revalidate).
 * Never rejects, and never takes much longer than `timeoutMs`, even when the server accepts the
 * connection and then says nothing.
 */
export function endpointModelsLister(
  endpoint: ModelEndpoint,
  options: EndpointModelsOptions,
): () => Promise<EndpointModels> {
  let cached: { result: EndpointModels; expiresAt: number } | undefined;
  let inFlight: Promise<EndpointModels> | undefined;

  return () => {
    if (cached !== undefined && options.now() < cached.expiresAt) {
      return Promise.resolve(cached.result);
    }
    inFlight ??= askEndpoint(endpoint, options).then((result) => {
      const ttl = result.ok ? options.answerTtlMs : options.failureTtlMs;
      cached = { result, expiresAt: options.now() + ttl };
      inFlight = undefined;
      // One line per failure per cache period: the next is logged only after it expires.
      if (!result.ok) {
        options.log(`[models] endpoint "${endpoint.id}" is unavailable: ${result.failure}`);
      }
      return result;
    });
    return cached?.result !== undefined ? Promise.resolve(cached.result) : inFlight;
  };
}

async function askEndpoint(
  endpoint: ModelEndpoint,
  options: EndpointModelsOptions,
): Promise<EndpointModels> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  // A fetch that ignored its signal would still hold the caller: the timeout wins the race.
  const timedOut = new Promise<EndpointModels>((resolve) => {
    signal.addEventListener("abort", () => resolve({ ok: false, failure: "timeout" }), {
      once: true,
    });
  });
  return Promise.race([request(endpoint, options.fetch, signal), timedOut]);
}

async function request(
  endpoint: ModelEndpoint,
  fetchFn: typeof fetch,
  signal: AbortSignal,
): Promise<EndpointModels> {
  let response: Response;
  try {
    response = await fetchFn(`${endpoint.baseURL.replace(/\/+$/, "")}/models`, {
      headers: endpoint.apiKey ? { Authorization: `Bearer ${endpoint.apiKey}` } : {},
      signal,
    });
  } catch {
    return { ok: false, failure: signal.aborted ? "timeout" : "unreachable" };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    return { ok: false, failure: `HTTP ${response.status}` };
  }
  let body: unknown;
  try {
    const text = await readAtMost(response, MAX_MODELS_ANSWER_BYTES);
    if (text === undefined) return { ok: false, failure: "bad answer" };
    body = JSON.parse(text);
  } catch {
    return { ok: false, failure: signal.aborted ? "timeout" : "bad answer" };
  }
  const parsed = modelsAnswer.safeParse(body);
  if (!parsed.success) return { ok: false, failure: "bad answer" };
  return {
    ok: true,
    models: parsed.data.data.map((model) => ({
      id: model.id,
      contextTokens: contextSize(model.context_length) ?? contextSize(model.max_model_len),
    })),
  };
}

/** The body as text, or undefined (and the rest left unread) once it passes `limit` bytes. */
async function readAtMost(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function contextSize(value: unknown): number | undefined {
  const parsed = positiveInteger.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

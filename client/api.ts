import { retryAfterMs } from "./backoff";
import type { ConversationItem } from "./conversation-list";
import type { MessageJson } from "./messages";
import type { ModelRef } from "./models";

/** An answer from the API that was not a success, with the server's code and message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterMs: number | null;

  constructor(status: number, code: string, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.retryAfterMs = retryAfter;
  }
}

/** The request did not get an answer in time. */
export class TimeoutError extends Error {
  constructor() {
    super("The server took too long to answer");
    this.name = "TimeoutError";
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  401: "Your session has ended; sign in again",
  404: "Not found",
  409: "A reply is already in progress",
  413: "The message is too long",
  429: "Too many requests; wait a moment",
};

export async function apiError(response: Response): Promise<ApiError> {
  let code = "http_error";
  let message = FALLBACK_MESSAGES[response.status] ?? `The server answered ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === "string") code = body.error.code;
    if (typeof body.error?.message === "string") message = body.error.message;
  } catch {
    // Not JSON (a proxy's error page): keep the generic message.
  }
  return new ApiError(
    response.status,
    code,
    message,
    retryAfterMs(response.headers.get("retry-after")),
  );
}

/**
 * fetch that gives up when no response headers arrived within `timeoutMs`. Once the response
 * has started, the body may take as long as it needs (a reply streams for minutes); `signal`
 * still aborts everything.
 */
export async function fetchWithTimeout(
  input: string,
  init: RequestInit & { timeoutMs?: number },
): Promise<Response> {
  const { timeoutMs = 20_000, signal, ...rest } = init;
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) controller.abort(signal.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await fetch(input, { ...rest, signal: controller.signal });
  } catch (error) {
    if (timedOut) throw new TimeoutError();
    throw error;
  } finally {
    // The abort listener stays: the caller's signal must still cancel the body being read.
    clearTimeout(timer);
  }
}

async function json<T>(input: string, init: RequestInit = {}): Promise<T> {
  const response = await fetchWithTimeout(input, {
    ...init,
    headers: {
      accept: "application/json",
      // The API refuses a request that changes something unless it is JSON, body or not.
      ...(init.method && init.method !== "GET" ? { "content-type": "application/json" } : {}),
    },
  });
  if (!response.ok) throw await apiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

const conversationPath = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

export interface ConversationPage {
  items: ConversationItem[];
  nextCursor: string | null;
}

export interface MessagePage {
  items: MessageJson[];
  /** Older messages exist (newest, `before` and `around` pages). */
  hasMore?: boolean;
  /** Newer messages exist (`after` and `around` pages). */
  hasNewer?: boolean;
}

export function listConversations(cursor?: string | null, limit = 30): Promise<ConversationPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set("cursor", cursor);
  return json(`/api/conversations?${query}`);
}

export function renameConversation(id: string, title: string): Promise<ConversationItem> {
  return json(conversationPath(id), { method: "PATCH", body: JSON.stringify({ title }) });
}

/**
 * Puts the conversation on `model` for its next turns (plain regenerate included); the replies
 * already written keep theirs.
 */
export function setConversationModel(
  id: string,
  model: ModelRef,
): Promise<ConversationItem & { model: ModelRef | null }> {
  return json(conversationPath(id), { method: "PATCH", body: JSON.stringify({ model }) });
}

export function deleteConversation(id: string): Promise<void> {
  return json(conversationPath(id), { method: "DELETE" });
}

export function getMessages(
  id: string,
  options: { before?: number; after?: number; around?: number; limit?: number } = {},
): Promise<MessagePage> {
  const query = new URLSearchParams({ limit: String(options.limit ?? 50) });
  for (const key of ["before", "after", "around"] as const) {
    const value = options[key];
    if (value !== undefined) query.set(key, String(value));
  }
  return json(`${conversationPath(id)}/messages?${query}`);
}

export interface SearchHitJson {
  conversation: { id: string; title: string | null };
  message: { id: string; role: "user" | "assistant"; sequence: number } | null;
  createdAt: string;
  snippet: Array<{ text: string; match: boolean }>;
}

export interface SearchPage {
  items: SearchHitJson[];
  nextCursor: string | null;
}

export function searchMessages(
  q: string,
  options: { cursor?: string | null; signal?: AbortSignal } = {},
): Promise<SearchPage> {
  const query = new URLSearchParams({ q });
  if (options.cursor) query.set("cursor", options.cursor);
  return json(`/api/search?${query}`, { signal: options.signal });
}

export function stopReply(id: string): Promise<{ stopped: MessageJson | null }> {
  return json(`${conversationPath(id)}/stop`, { method: "POST" });
}

// The three streaming endpoints answer with the raw Response: the caller needs the status
// (200 = acknowledged, 204 = nothing live, 4xx/5xx decide retrying) before reading the body.

/**
 * Sends a user message. `parentId` makes it an edit: a new version placed after that message
 * (null: a new first message); without it the message goes after the current branch's newest.
 * `model` answers it, and becomes the conversation's model.
 */
export function postMessage(
  conversationId: string,
  message: { id: string; content: string; parentId?: string | null; model?: ModelRef },
  signal: AbortSignal,
): Promise<Response> {
  return fetchWithTimeout(`${conversationPath(conversationId)}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(message),
    signal,
  });
}

function postToReply(
  conversationId: string,
  operation: "regenerate" | "continue",
  body: { messageId: string; replyId?: string; model?: ModelRef },
  signal: AbortSignal,
): Promise<Response> {
  return fetchWithTimeout(`${conversationPath(conversationId)}/${operation}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

/**
 * Writes a new version of reply `messageId`, with id `replyId` (chosen here, so a retry of the
 * same request creates nothing more), by `model`; the old version stays. The conversation's own
 * model does not change.
 */
export function postRegenerate(
  conversationId: string,
  request: { messageId: string; replyId: string; model?: ModelRef },
  signal: AbortSignal,
): Promise<Response> {
  return postToReply(conversationId, "regenerate", request, signal);
}

/** Carries on interrupted reply `messageId` from its stored text, in place. */
export function postContinue(
  conversationId: string,
  messageId: string,
  signal: AbortSignal,
): Promise<Response> {
  return postToReply(conversationId, "continue", { messageId }, signal);
}

/**
 * Shows version `versionIndex` (0-based) of message `siblingOf`'s parent: that version, and below
 * it the branch last viewed there, become the conversation's current branch (for every device).
 * Answers that branch's newest page with it.
 */
export function postSwitch(
  conversationId: string,
  target: { siblingOf: string; versionIndex: number },
): Promise<{ leafId: string } & MessagePage> {
  return json(`${conversationPath(conversationId)}/switch`, {
    method: "POST",
    body: JSON.stringify(target),
  });
}

/**
 * Copies the branch from its first message to `messageId` into a new conversation with id
 * `newConversationId` (chosen here: asking twice makes one copy).
 */
export function postFork(
  conversationId: string,
  messageId: string,
  newConversationId: string,
): Promise<ConversationItem> {
  return json(`${conversationPath(conversationId)}/fork`, {
    method: "POST",
    body: JSON.stringify({ messageId, conversationId: newConversationId }),
  });
}

export function getLiveStream(conversationId: string, signal: AbortSignal): Promise<Response> {
  return fetchWithTimeout(`${conversationPath(conversationId)}/stream`, { signal });
}

import type { ReplyStatus } from "@/lib/reply-stream";

/** Where a message the server has not acknowledged yet stands. */
export type PendingState =
  /** Waiting for its turn or for the next automatic retry. */
  | "queued"
  /** A request is on its way. */
  | "sending"
  /** At least one attempt failed; retried automatically, or now with Retry. */
  | "failed"
  /** The server refused it for good (a 4xx): kept so its text can be copied. */
  | "rejected";

export interface PendingInfo {
  state: PendingState;
  attempts: number;
  error: string | null;
}

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  status: ReplyStatus;
  /** The server's order; null until the server has stored the message. */
  sequence: number | null;
  error: string | null;
  model: string | null;
  createdAt: string;
  /** Set only while the server has not acknowledged the message. */
  pending?: PendingInfo;
}

/** The API's message JSON (app/api/conversations/json.ts), as the browser receives it. */
export interface MessageJson {
  id: string;
  role: "user" | "assistant";
  content: string;
  sequence: number;
  status: ReplyStatus;
  model: string | null;
  error: string | null;
  createdAt: string;
}

export function fromJson(json: MessageJson): ChatMessage {
  return {
    id: json.id,
    role: json.role,
    content: json.content,
    status: json.status,
    sequence: json.sequence,
    error: json.error,
    model: json.model,
    createdAt: json.createdAt,
  };
}

/**
 * Stored messages in sequence order, then those without a sequence (pending, or sent and not
 * numbered yet) in the order they were written. Stable, so equal keys keep their order.
 */
export function sortMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => {
      const sa = a.message.sequence;
      const sb = b.message.sequence;
      if (sa !== null && sb !== null) return sa - sb || a.index - b.index;
      if (sa !== null) return -1;
      if (sb !== null) return 1;
      return a.index - b.index;
    })
    .map(({ message }) => message);
}

/**
 * Merges messages read from the server into the list: each id appears once, the server's copy
 * replaces the local one (it is the record), except for ids in `keepLocal` (the reply being
 * streamed right now, whose live text is ahead of any stored checkpoint).
 */
export function mergeServerMessages(
  current: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
  keepLocal: ReadonlySet<string> = new Set(),
): ChatMessage[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of incoming) {
    if (keepLocal.has(message.id) && byId.has(message.id)) continue;
    byId.set(message.id, message);
  }
  return sortMessages([...byId.values()]);
}

/** The smallest stored sequence: the `before` cursor for the next older page. */
export function oldestSequence(messages: readonly ChatMessage[]): number | null {
  let oldest: number | null = null;
  for (const message of messages) {
    if (message.sequence !== null && (oldest === null || message.sequence < oldest)) {
      oldest = message.sequence;
    }
  }
  return oldest;
}

/** The newest stored message, ignoring local ones not stored yet. */
export function newestStored(messages: readonly ChatMessage[]): ChatMessage | null {
  let newest: ChatMessage | null = null;
  for (const message of messages) {
    if (message.sequence !== null && (!newest || message.sequence > (newest.sequence ?? 0))) {
      newest = message;
    }
  }
  return newest;
}

/** The last assistant reply: the only one offered Regenerate. */
export function lastAssistant(messages: readonly ChatMessage[]): ChatMessage | null {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === "assistant") return message;
  }
  return null;
}

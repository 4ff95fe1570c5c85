import type { ReplyStatus } from "@/lib/reply-stream";
import type { ModelRef } from "./models";

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
  /** The endpoint that wrote a reply (decision 42), once the server has said. */
  endpoint?: string | null;
  createdAt: string;
  /** Set only while the server has not acknowledged the message. */
  pending?: PendingInfo;
  /** An unsent message: the model chosen when it was written, which is to answer it. */
  requestedModel?: ModelRef;
  /**
   * The message it follows. On a stored message, its parent in the message tree (null for a
   * root). On an unsent one, where it goes: set for an edit (the edited message's parent),
   * absent for an ordinary send (after the current branch's newest message).
   */
  parentId?: string | null;
  /** Its position along the branch, the history cursor; absent until read from a page. */
  depth?: number;
  /** Which of its parent's versions it is (0-based), and how many there are ("k / n"). */
  versionIndex?: number;
  versionCount?: number;
}

/** The API's message JSON (app/api/conversations/json.ts), as the browser receives it. */
export interface MessageJson {
  id: string;
  role: "user" | "assistant";
  content: string;
  sequence: number;
  status: ReplyStatus;
  model: string | null;
  endpoint?: string | null;
  error: string | null;
  createdAt: string;
  /** History pages carry the message's place in the tree (`toBranchMessageJson`). */
  parentId?: string | null;
  depth?: number;
  versionIndex?: number;
  versionCount?: number;
}

export function fromJson(json: MessageJson): ChatMessage {
  const branch = {
    ...(json.parentId !== undefined ? { parentId: json.parentId } : {}),
    ...(json.depth !== undefined ? { depth: json.depth } : {}),
    ...(json.versionIndex !== undefined ? { versionIndex: json.versionIndex } : {}),
    ...(json.versionCount !== undefined ? { versionCount: json.versionCount } : {}),
  };
  return {
    id: json.id,
    role: json.role,
    content: json.content,
    status: json.status,
    sequence: json.sequence,
    error: json.error,
    model: json.model,
    endpoint: json.endpoint ?? null,
    createdAt: json.createdAt,
    ...branch,
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
 * replaces the local one (it is the record), except for the text and status of ids in
 * `keepLocal` (the reply being streamed right now, whose live text is ahead of any stored
 * checkpoint).
 */
export function mergeServerMessages(
  current: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
  keepLocal: ReadonlySet<string> = new Set(),
): ChatMessage[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of incoming) {
    const local = byId.get(message.id);
    // The live text and status stay; its place in the tree is the server's.
    if (local && keepLocal.has(message.id)) {
      byId.set(message.id, {
        ...message,
        content: local.content,
        status: local.status,
        error: local.error,
        model: local.model ?? message.model,
        endpoint: local.endpoint ?? message.endpoint,
      });
    } else byId.set(message.id, message);
  }
  return sortMessages([...byId.values()]);
}

/**
 * The smallest depth held: the `before` cursor for the next older page. The window holds one
 * branch, and pages are cut by position along it, not by `sequence` (which counts every branch).
 */
export function oldestDepth(messages: readonly ChatMessage[]): number | null {
  let oldest: number | null = null;
  for (const { depth } of messages) {
    if (depth !== undefined && (oldest === null || depth < oldest)) oldest = depth;
  }
  return oldest;
}

/** The largest depth held: the `after` cursor for the next newer page. */
export function newestDepth(messages: readonly ChatMessage[]): number | null {
  let newest: number | null = null;
  for (const { depth } of messages) {
    if (depth !== undefined && (newest === null || depth > newest)) newest = depth;
  }
  return newest;
}

/**
 * What stays on screen when a message gets a new version (an edit, a regenerate): the messages
 * before it on the branch, and those not sent yet. The version and what followed it stay on the
 * server, one switch away.
 */
export function keepBefore(messages: readonly ChatMessage[], messageId: string): ChatMessage[] {
  const index = messages.findIndex((message) => message.id === messageId);
  if (index < 0) return [...messages];
  return messages.filter((message, at) => at < index || message.sequence === null);
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

/**
 * Puts an unsent edit back where it was made (it was kept while the page was away, and the
 * server still shows the old version's branch): after its parent, in place of the version it
 * adds to and what followed it. Unchanged when its parent is not in the window.
 */
export function showEditInPlace(messages: readonly ChatMessage[], editId: string): ChatMessage[] {
  const edit = messages.find((message) => message.id === editId);
  if (!edit || edit.parentId === undefined) return [...messages];
  const stored = messages.filter((message) => message.sequence !== null);
  const at = edit.parentId === null ? 0 : stored.findIndex((m) => m.id === edit.parentId) + 1;
  if (at === 0 && edit.parentId !== null) return [...messages];
  const replaced = stored[at];
  const placed: ChatMessage = replaced
    ? {
        ...edit,
        versionIndex: replaced.versionCount ?? 1,
        versionCount: (replaced.versionCount ?? 1) + 1,
      }
    : edit;
  return [
    ...stored.slice(0, at),
    ...messages
      .filter((message) => message.sequence === null)
      .map((m) => (m === edit ? placed : m)),
  ];
}

/** The last assistant reply: the only one offered Regenerate. */
export function lastAssistant(messages: readonly ChatMessage[]): ChatMessage | null {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === "assistant") return message;
  }
  return null;
}

import { type ModelRef, parseModelRef } from "./models";

/**
 * Messages the server has not acknowledged, kept in localStorage so that a reload, a crash or a
 * closed tab does not lose them. One key per user and conversation: another account signing in
 * on the same browser never sees them.
 */
export interface PendingRecord {
  id: string;
  content: string;
  createdAt: string;
  /**
   * An edit: the message the new version follows (null for a first message). Absent for an
   * ordinary send, which goes after the current branch's newest message.
   */
  parentId?: string | null;
  /**
   * The model the person had chosen when they wrote it: the turn is answered by it, however long
   * the message waits. Absent in records kept before models could be chosen.
   */
  model?: ModelRef;
  /** Why the server refused it for good; absent while it is still to be sent. */
  rejected?: string;
}

export interface PendingStore {
  load(): PendingRecord[];
  save(records: readonly PendingRecord[]): void;
}

const PREFIX = "chatkeep:pending:";

/** The start of every key holding one user's pending messages. */
export function pendingKeyPrefix(userId: string): string {
  return `${PREFIX}${userId}:`;
}

export function pendingKey(userId: string, conversationId: string): string {
  return `${pendingKeyPrefix(userId)}${conversationId}`;
}

/** Parses what was stored, dropping anything malformed (an older format, a hand edit). */
export function parseRecords(raw: string | null): PendingRecord[] {
  if (!raw) return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const records: PendingRecord[] = [];
  for (const item of value) {
    if (!item || typeof item !== "object") continue;
    const { id, content, createdAt, parentId, model, rejected } = item as Record<string, unknown>;
    if (typeof id !== "string" || typeof content !== "string") continue;
    const chosen = parseModelRef(model);
    records.push({
      id,
      content,
      createdAt: typeof createdAt === "string" ? createdAt : new Date(0).toISOString(),
      ...(typeof parentId === "string" || parentId === null ? { parentId } : {}),
      ...(chosen ? { model: chosen } : {}),
      ...(typeof rejected === "string" ? { rejected } : {}),
    });
  }
  return records;
}

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    // Blocked storage (privacy settings) throws on access: run without persistence.
    return null;
  }
}

export function localPendingStore(userId: string, conversationId: string): PendingStore {
  const key = pendingKey(userId, conversationId);
  return {
    load: () => parseRecords(storage()?.getItem(key) ?? null),
    save: (records) => {
      const store = storage();
      if (!store) return;
      try {
        if (records.length === 0) store.removeItem(key);
        else store.setItem(key, JSON.stringify(records));
      } catch {
        // Quota exceeded: the messages stay in memory and are still retried in this tab.
      }
    },
  };
}

/** Deletes what is kept for a conversation (it was deleted). */
export function clearPending(userId: string, conversationId: string): void {
  localPendingStore(userId, conversationId).save([]);
}

import { pendingKeyPrefix } from "./pending-store";

// What this browser keeps for a signed-in user: pending messages (pending-store.ts) and composer
// drafts, every key naming the user, so another account on the same browser never reads them.

const DRAFT_PREFIX = "chatkeep:draft:";

/** The key of a user's draft for a conversation, or for a new one (`scope` "new"). */
export function draftKey(userId: string, scope: string): string {
  return `${DRAFT_PREFIX}${userId}:${scope}`;
}

/**
 * Deletes everything kept for `userId` (signing out): whoever uses the browser next finds none
 * of their unsent text.
 */
export function forgetUser(storage: Storage, userId: string): void {
  const prefixes = [pendingKeyPrefix(userId), `${DRAFT_PREFIX}${userId}:`];
  const doomed: string[] = [];
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (key && prefixes.some((prefix) => key.startsWith(prefix))) doomed.push(key);
  }
  for (const key of doomed) storage.removeItem(key);
}

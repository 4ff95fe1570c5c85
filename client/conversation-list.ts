/** A conversation as the sidebar holds it (the API's JSON). */
export interface ConversationItem {
  id: string;
  title: string | null;
  createdAt: string;
  updatedAt: string;
}

function byRecentActivity(a: ConversationItem, b: ConversationItem): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Newest activity first, as the API orders them (ties broken by id, descending). */
export function sortConversations(items: readonly ConversationItem[]): ConversationItem[] {
  return [...items].sort(byRecentActivity);
}

/**
 * Merges a page from the server, each id once. The server's copy is the record (a rename from
 * another tab shows up), but a conversation touched here a moment ago keeps its newer activity
 * time, so an older page read meanwhile does not push it back down.
 */
export function mergePage(
  current: readonly ConversationItem[],
  page: readonly ConversationItem[],
): ConversationItem[] {
  const byId = new Map(current.map((item) => [item.id, item]));
  for (const item of page) {
    const held = byId.get(item.id);
    const updatedAt = held && held.updatedAt > item.updatedAt ? held.updatedAt : item.updatedAt;
    byId.set(item.id, { ...item, updatedAt });
  }
  return sortConversations([...byId.values()]);
}

/**
 * A conversation just got a message: it moves to the top now, before the server says so. A
 * conversation not listed yet (a new chat) is added with the title the server will give it.
 */
export function touchConversation(
  current: readonly ConversationItem[],
  id: string,
  now: string,
  titleIfNew: string | null,
): ConversationItem[] {
  const held = current.find((item) => item.id === id);
  const touched: ConversationItem = held
    ? { ...held, updatedAt: now > held.updatedAt ? now : held.updatedAt }
    : { id, title: titleIfNew, createdAt: now, updatedAt: now };
  return [touched, ...current.filter((item) => item.id !== id)];
}

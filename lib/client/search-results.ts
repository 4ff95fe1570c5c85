import type { SearchHitJson } from "./api";

export interface SearchGroup {
  conversation: { id: string; title: string | null };
  hits: SearchHitJson[];
}

/**
 * Hits grouped by conversation, for the palette: groups in the order of their newest hit (the
 * API answers newest first), hits in the order they came.
 */
export function groupHits(hits: readonly SearchHitJson[]): SearchGroup[] {
  const groups = new Map<string, SearchGroup>();
  for (const hit of hits) {
    let group = groups.get(hit.conversation.id);
    if (!group) {
      group = { conversation: hit.conversation, hits: [] };
      groups.set(hit.conversation.id, group);
    }
    group.hits.push(hit);
  }
  return [...groups.values()];
}

/** Where choosing a hit goes: the conversation at the message, or its end for a title hit. */
export function hitHref(hit: SearchHitJson): string {
  const base = `/c/${encodeURIComponent(hit.conversation.id)}`;
  return hit.message ? `${base}?m=${hit.message.sequence}` : base;
}

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

/**
 * Where choosing a hit goes: the conversation at the message, on the branch that holds it (the
 * page makes that branch the current one), or its end for a title hit.
 */
export function hitHref(hit: SearchHitJson): string {
  const base = `/c/${encodeURIComponent(hit.conversation.id)}`;
  return hit.message ? `${base}?message=${encodeURIComponent(hit.message.id)}` : base;
}

/** The palette's value for a hit: unique within one query's results. */
export function hitValue(hit: SearchHitJson): string {
  return hit.message?.id ?? `title-${hit.conversation.id}`;
}

/** What the person last pointed at in the palette, and for which query's results. */
export interface PaletteSelection {
  query: string;
  value: string;
}

/**
 * The item the palette shows selected (what Enter chooses): the person's choice while it is
 * listed among the same query's results, otherwise the first item. cmdk alone keeps a value
 * whose item is gone when a new query's results replace the old, and Enter then does nothing.
 */
export function selectedValue(
  selection: PaletteSelection,
  query: string,
  listed: readonly string[],
): string {
  if (selection.query === query && listed.includes(selection.value)) return selection.value;
  return listed[0] ?? "";
}

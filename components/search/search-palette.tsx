"use client";

import { Command } from "cmdk";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { SearchIcon } from "@/components/ui/icons";
import { Spinner } from "@/components/ui/spinner";
import type { SearchHitJson } from "@/lib/client/api";
import { groupHits, hitHref } from "@/lib/client/search-results";
import { MAX_SEARCH_QUERY_CHARS } from "@/lib/search-query";
import { Snippet } from "./snippet";
import { useSearch } from "./use-search";

/**
 * The search palette (Ctrl/Cmd-K, or the sidebar's search field): results as you type, grouped
 * by conversation; choosing one opens the conversation at that message. The filtering is the
 * server's (full-text search), so cmdk only provides the list's keyboard handling.
 */
export function SearchPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Search chats"
      testId="search-palette"
      className="max-w-xl"
    >
      {open ? <PaletteBody onClose={onClose} /> : null}
    </Dialog>
  );
}

function PaletteBody({ onClose }: { onClose: () => void }) {
  const router = useRouter();
  const [query, setQuery] = useState("");
  const search = useSearch(query);
  const groups = groupHits(search.hits);
  const typed = query.trim().length > 0;

  function choose(hit: SearchHitJson) {
    onClose();
    router.push(hitHref(hit));
  }

  return (
    <Command shouldFilter={false} label="Search chats" className="flex flex-col gap-3">
      <div className="flex items-center gap-2 rounded-xl border border-zinc-300 px-3 focus-within:border-blue-500 focus-within:ring-3 focus-within:ring-blue-500/20 dark:border-zinc-700">
        <SearchIcon size={16} className="shrink-0 text-zinc-400" />
        <Command.Input
          autoFocus
          value={query}
          onValueChange={setQuery}
          maxLength={MAX_SEARCH_QUERY_CHARS}
          placeholder="Search messages and titles…"
          data-testid="search-input"
          className="h-10 w-full bg-transparent text-sm outline-none placeholder:text-zinc-400"
        />
        {search.status === "loading" ? <Spinner /> : null}
      </div>
      <Command.List className="max-h-[60vh] overflow-y-auto" data-testid="search-results">
        {typed && search.status === "done" && groups.length === 0 ? (
          <Command.Empty className="py-6 text-center text-sm text-zinc-500">
            Nothing found for “{search.query}”.
          </Command.Empty>
        ) : null}
        {search.status === "error" ? (
          <p className="py-6 text-center text-sm text-red-600">Search failed; try again.</p>
        ) : null}
        {!typed ? (
          <p className="py-6 text-center text-sm text-zinc-500">
            Words, <q>an exact phrase</q>, or -word to leave out.
          </p>
        ) : null}
        {groups.map((group) => (
          <Command.Group
            key={group.conversation.id}
            heading={group.conversation.title ?? "Untitled"}
            className="pb-2 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-zinc-500"
          >
            {group.hits.map((hit) => (
              <Command.Item
                key={hit.message?.id ?? `title-${hit.conversation.id}`}
                value={hit.message?.id ?? `title-${hit.conversation.id}`}
                onSelect={() => choose(hit)}
                data-testid="search-result"
                data-conversation-id={hit.conversation.id}
                data-sequence={hit.message?.sequence}
                className="cursor-pointer rounded-lg px-2 py-2 text-sm data-[selected=true]:bg-zinc-100 dark:data-[selected=true]:bg-zinc-800"
              >
                <span className="block text-xs text-zinc-500">
                  {hit.message
                    ? `${hit.message.role === "user" ? "You" : "Assistant"} · ${new Date(hit.createdAt).toLocaleDateString()}`
                    : "Title"}
                </span>
                <span className="line-clamp-2 break-words">
                  <Snippet segments={hit.snippet} />
                </span>
              </Command.Item>
            ))}
          </Command.Group>
        ))}
        {search.nextCursor && search.status === "done" ? (
          <Command.Item
            value="more-results"
            onSelect={search.loadMore}
            data-testid="search-more"
            className="cursor-pointer rounded-lg px-2 py-2 text-center text-sm text-zinc-600 data-[selected=true]:bg-zinc-100 dark:text-zinc-400 dark:data-[selected=true]:bg-zinc-800"
          >
            More results
          </Command.Item>
        ) : null}
      </Command.List>
    </Command>
  );
}

"use client";

import { Command } from "cmdk";
import { useRouter } from "next/navigation";
import { type RefObject, useRef, useState } from "react";
import type { SearchHitJson } from "@/client/api";
import {
  groupHits,
  hitHref,
  hitValue,
  type PaletteSelection,
  selectedValue,
} from "@/client/search-results";
import { Dialog } from "@/components/ui/dialog";
import { SearchIcon } from "@/components/ui/icons";
import { Spinner } from "@/components/ui/spinner";
import { MAX_SEARCH_QUERY_CHARS } from "@/lib/search-query";
import { Snippet } from "./snippet";
import { useSearch } from "./use-search";

/**
 * The search palette (Ctrl/Cmd-K, or the sidebar's search field): results as you type, grouped
 * by conversation; choosing one opens the conversation at that message. The filtering is the
 * server's (full-text search), so cmdk only provides the list's keyboard handling.
 */
export function SearchPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  // The field, not cmdk's root (which is focusable too), takes the focus: typing must land there.
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Search chats"
      testId="search-palette"
      className="max-w-xl"
      initialFocus={inputRef}
    >
      {open ? <PaletteBody onClose={onClose} inputRef={inputRef} /> : null}
    </Dialog>
  );
}

const MORE_VALUE = "more-results";

function PaletteBody({
  onClose,
  inputRef,
}: {
  onClose: () => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const router = useRouter();
  const [query, setQuery] = useState("");
  const search = useSearch(query);
  const groups = groupHits(search.hits);
  const typed = query.trim().length > 0;
  const showMore = Boolean(search.nextCursor) && search.status === "done";
  const [selection, setSelection] = useState<PaletteSelection>({ query: "", value: "" });
  const listed = groups.flatMap((group) => group.hits.map(hitValue));
  if (showMore) listed.push(MORE_VALUE);
  const selected = selectedValue(selection, search.query, listed);

  function choose(hit: SearchHitJson) {
    onClose();
    router.push(hitHref(hit));
  }

  return (
    <Command
      shouldFilter={false}
      label="Search chats"
      value={selected}
      onValueChange={(value) => setSelection({ query: search.query, value })}
      className="flex flex-col gap-3"
    >
      <div className="flex items-center gap-2 rounded-xl border border-zinc-300 px-3 focus-within:border-blue-500 focus-within:ring-3 focus-within:ring-blue-500/20 dark:border-zinc-700">
        <SearchIcon size={16} className="shrink-0 text-zinc-400" />
        <Command.Input
          ref={inputRef}
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
                key={hitValue(hit)}
                value={hitValue(hit)}
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
        {showMore ? (
          <Command.Item
            value={MORE_VALUE}
            onSelect={search.loadMore}
            // A click loads more and leaves the cursor in the field, so typing goes on working.
            onMouseDown={(event) => event.preventDefault()}
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

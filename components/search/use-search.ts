"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { type SearchHitJson, searchMessages } from "@/client/api";
import { MAX_SEARCH_QUERY_CHARS } from "@/lib/search-query";

export const SEARCH_DEBOUNCE_MS = 200;

export interface SearchState {
  /** The query these results answer. */
  query: string;
  hits: SearchHitJson[];
  nextCursor: string | null;
  status: "idle" | "loading" | "done" | "error";
}

const idle: SearchState = { query: "", hits: [], nextCursor: null, status: "idle" };

/**
 * Results for what is typed, as it is typed: a request once typing pauses, and the request for
 * an older query aborted (and its answer ignored) as soon as the query changes, so results never
 * go back to an earlier query's. `loadMore` appends the next page of the same query.
 */
export function useSearch(query: string): SearchState & { loadMore: () => void } {
  const [state, setState] = useState<SearchState>(idle);
  // The requests of the current query; replaced (and the old one aborted) when it changes.
  const current = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!query.trim()) {
      setState(idle);
      return;
    }
    const q = query.slice(0, MAX_SEARCH_QUERY_CHARS);
    const abort = new AbortController();
    current.current = abort;
    const timer = setTimeout(async () => {
      setState((previous) => ({ ...previous, status: "loading" }));
      try {
        const page = await searchMessages(q, { signal: abort.signal });
        if (abort.signal.aborted) return;
        setState({ query: q, hits: page.items, nextCursor: page.nextCursor, status: "done" });
      } catch {
        if (!abort.signal.aborted) setState({ ...idle, query: q, status: "error" });
      }
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [query]);

  const loadMore = useCallback(() => {
    const abort = current.current;
    if (!abort || state.status !== "done" || !state.nextCursor) return;
    const { query: q, nextCursor } = state;
    setState((previous) => ({ ...previous, status: "loading" }));
    searchMessages(q, { cursor: nextCursor, signal: abort.signal }).then(
      (page) => {
        if (abort.signal.aborted) return;
        setState((previous) => ({
          query: q,
          hits: [...previous.hits, ...page.items],
          nextCursor: page.nextCursor,
          status: "done",
        }));
      },
      () => {
        if (!abort.signal.aborted) setState((previous) => ({ ...previous, status: "error" }));
      },
    );
  }, [state]);

  return { ...state, loadMore };
}

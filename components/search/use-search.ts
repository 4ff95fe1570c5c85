"use client";

import { useEffect, useState } from "react";
import { type SearchHitJson, searchMessages } from "@/lib/client/api";
import { MAX_SEARCH_QUERY_CHARS } from "@/lib/search-query";

export const SEARCH_DEBOUNCE_MS = 200;

export interface SearchState {
  /** The query these results answer. */
  query: string;
  hits: SearchHitJson[];
  status: "idle" | "loading" | "done" | "error";
}

const idle: SearchState = { query: "", hits: [], status: "idle" };

/**
 * Results for what is typed, as it is typed: a request once typing pauses, and the request for
 * an older query aborted (and its answer ignored) as soon as the query changes, so results never
 * go back to an earlier query's.
 */
export function useSearch(query: string): SearchState {
  const [state, setState] = useState<SearchState>(idle);
  useEffect(() => {
    if (!query.trim()) {
      setState(idle);
      return;
    }
    const q = query.slice(0, MAX_SEARCH_QUERY_CHARS);
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      setState((previous) => ({ ...previous, status: "loading" }));
      try {
        const page = await searchMessages(q, { signal: abort.signal });
        if (!abort.signal.aborted) setState({ query: q, hits: page.items, status: "done" });
      } catch {
        if (!abort.signal.aborted) setState({ query: q, hits: [], status: "error" });
      }
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [query]);
  return state;
}

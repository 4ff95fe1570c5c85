"use client";

import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useMemo,
  useRef,
  useState,
} from "react";
import * as api from "@/client/api";
import {
  type ConversationItem,
  mergePage,
  sortConversations,
  touchConversation,
} from "@/client/conversation-list";

const PAGE_SIZE = 30;

interface ConversationsState {
  items: ConversationItem[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
}

export interface Conversations extends ConversationsState {
  loadMore: () => Promise<void>;
  /** Re-reads the first page: new titles, new order, conversations from other tabs. */
  refresh: () => Promise<void>;
  touch: (id: string, titleIfNew: string | null) => void;
  rename: (id: string, title: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
}

const ConversationsContext = createContext<Conversations | null>(null);

/**
 * The sidebar's list, shared with the chat view so that sending a message moves its
 * conversation to the top at once. Starts from the page the server rendered; later pages come
 * from the keyset API as the list scrolls.
 */
export function ConversationsProvider({
  initialItems,
  initialCursor,
  children,
}: {
  initialItems: ConversationItem[];
  initialCursor: string | null;
  children: ReactNode;
}) {
  const [state, setState] = useState<ConversationsState>({
    items: sortConversations(initialItems),
    nextCursor: initialCursor,
    loading: false,
    error: null,
  });
  const stateRef = useRef(state);
  stateRef.current = state;
  const loadingRef = useRef(false);
  // A list read that was already on its way must not undo what was done meanwhile: a title
  // saved (or being saved) since the read started keeps its new value, and a deleted
  // conversation stays gone.
  const renamedAt = useRef(new Map<string, number>());
  const deleted = useRef(new Set<string>());
  const keepLocalChanges = useCallback(
    (merged: ConversationItem[], current: ConversationItem[], readStartedAt: number) =>
      merged
        .filter((item) => !deleted.current.has(item.id))
        .map((item) => {
          const changedAt = renamedAt.current.get(item.id);
          if (changedAt === undefined || changedAt < readStartedAt) return item;
          const local = current.find((held) => held.id === item.id);
          return local ? { ...item, title: local.title } : item;
        }),
    [],
  );

  const loadMore = useCallback(async () => {
    const cursor = stateRef.current.nextCursor;
    if (!cursor || loadingRef.current) return;
    loadingRef.current = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    const startedAt = performance.now();
    try {
      const page = await api.listConversations(cursor, PAGE_SIZE);
      setState((s) => ({
        items: keepLocalChanges(mergePage(s.items, page.items), s.items, startedAt),
        nextCursor: page.nextCursor,
        loading: false,
        error: null,
      }));
    } catch (error) {
      setState((s) => ({
        ...s,
        loading: false,
        error: error instanceof Error ? error.message : "Could not load conversations",
      }));
    } finally {
      loadingRef.current = false;
    }
  }, [keepLocalChanges]);

  const refresh = useCallback(async () => {
    const startedAt = performance.now();
    try {
      const page = await api.listConversations(null, PAGE_SIZE);
      setState((s) => ({
        ...s,
        items: keepLocalChanges(mergePage(s.items, page.items), s.items, startedAt),
        // Only the first page is known so far: its cursor is the one to continue from.
        nextCursor: s.items.length <= PAGE_SIZE ? page.nextCursor : s.nextCursor,
      }));
    } catch {
      // The list stays as it is; the next reply refreshes it again.
    }
  }, [keepLocalChanges]);

  const touch = useCallback((id: string, titleIfNew: string | null) => {
    setState((s) => ({
      ...s,
      items: touchConversation(s.items, id, new Date().toISOString(), titleIfNew),
    }));
  }, []);

  // Not optimistic: the new title shows once it is stored, so a reload right after a rename
  // can never bring the old one back. The rename field stays open (saving) meanwhile.
  const rename = useCallback(async (id: string, title: string) => {
    const renamed = await api.renameConversation(id, title);
    // List reads that started before this answer carry the old title.
    renamedAt.current.set(id, performance.now());
    setState((s) => ({
      ...s,
      items: s.items.map((item) => (item.id === id ? { ...item, title: renamed.title } : item)),
    }));
  }, []);

  const remove = useCallback(async (id: string) => {
    await api.deleteConversation(id).catch((error: unknown) => {
      // Already gone (another tab deleted it): the goal is reached.
      if (!(error instanceof api.ApiError && error.status === 404)) throw error;
    });
    deleted.current.add(id);
    setState((s) => ({ ...s, items: s.items.filter((item) => item.id !== id) }));
  }, []);

  const value = useMemo<Conversations>(
    () => ({ ...state, loadMore, refresh, touch, rename, remove }),
    [state, loadMore, refresh, touch, rename, remove],
  );
  return <ConversationsContext.Provider value={value}>{children}</ConversationsContext.Provider>;
}

export function useConversations(): Conversations {
  const value = useContext(ConversationsContext);
  if (!value) throw new Error("useConversations needs a ConversationsProvider");
  return value;
}

"use client";

import { usePathname } from "next/navigation";
import { type ReactNode, useCallback, useEffect, useMemo, useState } from "react";
import type { ConversationItem } from "@/client/conversation-list";
import type { ModelRef } from "@/client/models";
import { SearchPalette } from "@/components/search/search-palette";
import { ConversationsProvider } from "@/components/sidebar/conversations-provider";
import { Sidebar } from "@/components/sidebar/sidebar";
import { DESKTOP_QUERY, useMediaQuery } from "@/components/ui/use-media-query";
import { type Shell, ShellContext, type ShellUser } from "./shell-context";

const YEAR_SECONDS = 365 * 24 * 3600;

function setCookie(name: string, value: string) {
  // biome-ignore lint/suspicious/noDocumentCookie: two display preferences the server reads to render without a flash; no sensitive data.
  document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=${YEAR_SECONDS}; samesite=lax`;
}

export interface AppShellProps {
  user: ShellUser;
  initialConversations: ConversationItem[];
  nextCursor: string | null;
  timeZone: string;
  renderedAt: number;
  initialCollapsed: boolean;
  children: ReactNode;
}

/** The signed-in frame: sidebar (column or drawer) beside the page, and what they share. */
export function AppShell({
  user,
  initialConversations,
  nextCursor,
  timeZone,
  renderedAt,
  initialCollapsed,
  children,
}: AppShellProps) {
  const isDesktop = useMediaQuery(DESKTOP_QUERY, true);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(initialCollapsed);
  const pathname = usePathname();

  // Following a link in the drawer closes it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation by design.
  useEffect(() => {
    setDrawerOpen(false);
  }, [pathname]);

  // The server groups conversations by day in this zone on the next load.
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && zone !== timeZone) setCookie("tz", zone);
  }, [timeZone]);

  const toggleSidebar = useCallback(() => {
    if (window.matchMedia(DESKTOP_QUERY).matches) {
      setCollapsed(!collapsed);
      setCookie("sidebar", collapsed ? "open" : "collapsed");
    } else {
      setDrawerOpen((open) => !open);
    }
  }, [collapsed]);
  const closeDrawer = useCallback(() => setDrawerOpen(false), []);
  const [newChatKey, setNewChatKey] = useState(0);
  const startNewChat = useCallback(() => {
    setNewChatKey((key) => key + 1);
    setDrawerOpen(false);
  }, []);

  const [lastModel, setLastModel] = useState<ModelRef | null>(null);

  const [searchOpen, setSearchOpen] = useState(false);
  const openSearch = useCallback(() => setSearchOpen(true), []);
  const closeSearch = useCallback(() => setSearchOpen(false), []);
  // Ctrl-K (Cmd-K on a Mac) opens search from anywhere, the composer included.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== "k" || !(event.metaKey || event.ctrlKey) || event.altKey) {
        return;
      }
      event.preventDefault();
      setDrawerOpen(false);
      setSearchOpen(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const shell = useMemo<Shell>(
    () => ({
      user,
      lastModel,
      setLastModel,
      isDesktop,
      drawerOpen,
      collapsed,
      toggleSidebar,
      closeDrawer,
      newChatKey,
      startNewChat,
      openSearch,
    }),
    [
      user,
      lastModel,
      isDesktop,
      drawerOpen,
      collapsed,
      toggleSidebar,
      closeDrawer,
      newChatKey,
      startNewChat,
      openSearch,
    ],
  );

  return (
    <ShellContext.Provider value={shell}>
      <ConversationsProvider initialItems={initialConversations} initialCursor={nextCursor}>
        <div className="flex h-dvh overflow-hidden bg-white dark:bg-zinc-950">
          <Sidebar timeZone={timeZone} renderedAt={renderedAt} />
          <div className="flex min-w-0 flex-1 flex-col">{children}</div>
        </div>
        <SearchPalette open={searchOpen} onClose={closeSearch} />
      </ConversationsProvider>
    </ShellContext.Provider>
  );
}

"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { useShell } from "@/components/chat/shell-context";
import { buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CloseIcon, PlusIcon, SearchIcon } from "@/components/ui/icons";
import { useShortcutLabel } from "@/components/ui/use-shortcut-label";
import { ConversationList } from "./conversation-list";
import { UserMenu } from "./user-menu";

/**
 * The conversations column on wide screens (collapsible), a drawer over the page on narrow
 * ones. One element either way, so tests and assistive technology find one sidebar; when it is
 * out of view it is also inert, so keyboard focus cannot wander into it.
 */
export function Sidebar({ timeZone, renderedAt }: { timeZone: string; renderedAt: number }) {
  const { isDesktop, drawerOpen, collapsed, closeDrawer, startNewChat, openSearch } = useShell();
  const hidden = isDesktop ? collapsed : !drawerOpen;
  const asideRef = useRef<HTMLElement>(null);
  const shortcut = useShortcutLabel("K");

  useEffect(() => {
    if (isDesktop || !drawerOpen) return;
    const previous = document.activeElement as HTMLElement | null;
    asideRef.current?.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    const onKey = (event: KeyboardEvent) => {
      // An Escape that a dialog over the drawer (the search palette) took is not the drawer's.
      if (event.key === "Escape" && !event.defaultPrevented) closeDrawer();
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      previous?.focus?.();
    };
  }, [isDesktop, drawerOpen, closeDrawer]);

  return (
    <>
      {!isDesktop && drawerOpen ? (
        <div
          aria-hidden="true"
          className="fixed inset-0 z-30 animate-[fade-in_150ms_ease-out] bg-black/40 md:hidden"
          onClick={closeDrawer}
        />
      ) : null}
      <aside
        ref={asideRef}
        data-testid="sidebar"
        data-state={hidden ? "closed" : "open"}
        aria-label="Conversations"
        inert={hidden}
        className={cn(
          "fixed inset-y-0 left-0 z-40 flex w-[280px] max-w-[85vw] flex-col border-r border-zinc-200 bg-zinc-50",
          "transition-[transform,visibility] duration-200 ease-out dark:border-zinc-800 dark:bg-zinc-900",
          drawerOpen ? "visible translate-x-0 shadow-2xl" : "invisible -translate-x-full",
          "md:static md:z-auto md:w-[260px] md:max-w-none md:translate-x-0 md:shadow-none md:transition-none",
          collapsed ? "md:hidden" : "md:visible",
        )}
      >
        <div className="flex h-14 shrink-0 items-center justify-between gap-2 px-3">
          <Link
            href="/"
            className="flex items-center gap-2 rounded-lg px-1.5 py-1 text-[15px] font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-blue-500"
          >
            <span className="grid size-6 place-items-center rounded-md bg-zinc-900 text-[11px] font-bold text-white dark:bg-zinc-100 dark:text-zinc-900">
              C
            </span>
            Chatkeep
          </Link>
          <button
            type="button"
            aria-label="Close sidebar"
            className={buttonClasses("ghost", "icon", "md:hidden")}
            onClick={closeDrawer}
          >
            <CloseIcon />
          </button>
        </div>
        <div className="px-3 pb-2">
          <button
            type="button"
            data-testid="sidebar-search"
            aria-keyshortcuts="Control+K Meta+K"
            onClick={openSearch}
            className="flex h-9 w-full items-center gap-2 rounded-xl border border-zinc-200 bg-white px-3 text-left text-sm text-zinc-500 shadow-xs hover:border-zinc-300 focus-visible:outline-2 focus-visible:outline-blue-500 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700"
          >
            <SearchIcon size={15} />
            <span className="flex-1">Search chats</span>
            {shortcut ? (
              <kbd className="rounded border border-zinc-200 px-1 font-sans text-[11px] dark:border-zinc-700">
                {shortcut}
              </kbd>
            ) : null}
          </button>
        </div>
        <div className="px-3 pb-2">
          <Link
            href="/"
            data-testid="new-chat"
            data-autofocus
            onClick={startNewChat}
            className={buttonClasses(
              "outline",
              "md",
              "w-full justify-start bg-white shadow-xs dark:bg-zinc-900",
            )}
          >
            <PlusIcon size={16} />
            New chat
          </Link>
        </div>
        <ConversationList timeZone={timeZone} renderedAt={renderedAt} />
        <div className="border-t border-zinc-200 p-2 dark:border-zinc-800">
          <UserMenu />
        </div>
      </aside>
    </>
  );
}

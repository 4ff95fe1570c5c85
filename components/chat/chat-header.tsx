"use client";

import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { MenuIcon, PanelIcon, PlusIcon } from "@/components/ui/icons";
import { ConversationMenu } from "./conversation-menu";
import { useShell } from "./shell-context";

export function ChatHeader({
  title,
  conversationId,
}: {
  title: string | null;
  /** A conversation the server has: its menu shows. */
  conversationId?: string;
}) {
  const { model, isDesktop, collapsed, drawerOpen, toggleSidebar, startNewChat } = useShell();
  const expanded = isDesktop ? !collapsed : drawerOpen;
  return (
    <header className="flex h-14 shrink-0 items-center gap-2 border-b border-zinc-200/70 bg-white/80 px-2 backdrop-blur sm:px-3 dark:border-zinc-800/70 dark:bg-zinc-950/80">
      <button
        type="button"
        data-testid="sidebar-toggle"
        aria-label={expanded ? "Hide sidebar" : "Show sidebar"}
        aria-expanded={expanded}
        title={expanded ? "Hide sidebar" : "Show sidebar"}
        className={buttonClasses("ghost", "icon")}
        onClick={toggleSidebar}
      >
        <MenuIcon className="md:hidden" />
        <PanelIcon className="hidden md:block" />
      </button>
      {/* Narrow screens: the model under the title. Wider: title left, model badge right. */}
      <div className="flex min-w-0 flex-1 flex-col sm:flex-row sm:items-center sm:justify-between sm:gap-3">
        <h1 className="min-w-0 truncate text-[15px] leading-5 font-medium text-zinc-800 dark:text-zinc-200">
          {title ?? "New chat"}
        </h1>
        <span
          data-testid="model-label"
          title={
            model.offline ? "Replies come from the built-in offline model" : `Model: ${model.label}`
          }
          className={cn(
            "inline-flex min-w-0 shrink-0 items-center gap-1.5 text-xs sm:max-w-[45%] sm:rounded-full sm:border sm:px-2.5 sm:py-1 sm:font-medium",
            model.offline
              ? "text-amber-700 sm:border-amber-300/70 sm:bg-amber-50 sm:text-amber-800 dark:text-amber-400 dark:sm:border-amber-500/30 dark:sm:bg-amber-500/10 dark:sm:text-amber-300"
              : "text-zinc-500 sm:border-zinc-200 sm:bg-zinc-50 sm:text-zinc-700 dark:text-zinc-400 dark:sm:border-zinc-700 dark:sm:bg-zinc-900 dark:sm:text-zinc-300",
          )}
        >
          <span
            aria-hidden="true"
            className={cn(
              "size-1.5 shrink-0 rounded-full",
              model.offline ? "bg-amber-500" : "bg-emerald-500",
            )}
          />
          <span className="truncate">{model.label}</span>
        </span>
      </div>
      {conversationId ? <ConversationMenu conversationId={conversationId} /> : null}
      <Link
        href="/"
        onClick={startNewChat}
        aria-label="New chat"
        title="New chat"
        className={cn(buttonClasses("ghost", "icon"), !isDesktop || collapsed ? "" : "md:hidden")}
      >
        <PlusIcon />
      </Link>
    </header>
  );
}

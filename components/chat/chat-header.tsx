"use client";

import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { MenuIcon, PanelIcon, PlusIcon } from "@/components/ui/icons";
import { useShell } from "./shell-context";

export function ChatHeader({ title }: { title: string | null }) {
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
      <h1 className="min-w-0 flex-1 truncate text-[15px] font-medium text-zinc-800 dark:text-zinc-200">
        {title ?? "New chat"}
      </h1>
      <span
        data-testid="model-label"
        title={
          model.offline ? "Replies come from the built-in offline model" : `Model: ${model.label}`
        }
        className={cn(
          "inline-flex max-w-[45%] shrink-0 items-center gap-1.5 truncate rounded-full border px-2.5 py-1 text-xs font-medium",
          model.offline
            ? "border-amber-300/70 bg-amber-50 text-amber-800 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-300"
            : "border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300",
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

"use client";

import Link from "next/link";
import type { ModelCatalog, ModelRef } from "@/client/models";
import { buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { MenuIcon, PanelIcon, PlusIcon } from "@/components/ui/icons";
import { ConversationMenu } from "./conversation-menu";
import { ModelPicker } from "./model-picker";
import { useShell } from "./shell-context";

export function ChatHeader({
  title,
  conversationId,
  model,
}: {
  title: string | null;
  /** A conversation the server has: its menu shows. */
  conversationId?: string;
  /** The model the next turn goes to, and the list to pick another from. */
  model?: { catalog: ModelCatalog; value: ModelRef; onPick: (model: ModelRef) => void };
}) {
  const { isDesktop, collapsed, drawerOpen, toggleSidebar, startNewChat } = useShell();
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
      {/* Narrow screens: the model under the title. Wider: title left, model picker right. */}
      <div className="flex min-w-0 flex-1 flex-col sm:flex-row sm:items-center sm:justify-between sm:gap-3">
        <h1 className="min-w-0 truncate text-[15px] leading-5 font-medium text-zinc-800 dark:text-zinc-200">
          {title ?? "New chat"}
        </h1>
        {model ? <ModelPicker {...model} /> : null}
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

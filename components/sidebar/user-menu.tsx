"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { signOutAction } from "@/app/(chat)/actions";
import { forgetUser } from "@/client/user-storage";
import { useShell } from "@/components/chat/shell-context";
import { cn } from "@/components/ui/cn";
import { ChevronUpDownIcon, SettingsIcon, SignOutIcon } from "@/components/ui/icons";

const menuItemClasses =
  "flex w-full items-center gap-2 rounded-lg px-2.5 py-2 text-left text-sm text-zinc-800 hover:bg-zinc-100 focus-visible:bg-zinc-100 focus-visible:outline-none dark:text-zinc-200 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800";

/** The account button at the foot of the sidebar, opening a small menu with Settings and Sign out. */
export function UserMenu() {
  const { user } = useShell();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const display = user.name?.trim() || user.email;
  const initial = (display[0] ?? "?").toUpperCase();

  useEffect(() => {
    if (!open) return;
    rootRef.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey, true);
    };
  }, [open]);

  return (
    <div ref={rootRef} className="relative">
      {open ? (
        <div
          id={menuId}
          role="menu"
          aria-label="Account"
          className="absolute inset-x-0 bottom-full mb-2 animate-[pop-in_120ms_ease-out] rounded-xl border border-zinc-200 bg-white p-1.5 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <div
            className="truncate px-2.5 py-2 text-xs text-zinc-500 dark:text-zinc-400"
            title={user.email}
          >
            {user.email}
          </div>
          <Link
            href="/settings"
            role="menuitem"
            data-testid="settings-link"
            onClick={() => setOpen(false)}
            className={menuItemClasses}
          >
            <SettingsIcon size={16} />
            Settings
          </Link>
          <form action={signOutAction} onSubmit={() => forgetLocalState(user.id)}>
            <button
              type="submit"
              role="menuitem"
              data-testid="sign-out"
              className={menuItemClasses}
            >
              <SignOutIcon size={16} />
              Sign out
            </button>
          </form>
        </div>
      ) : null}
      <button
        ref={buttonRef}
        type="button"
        data-testid="user-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((value) => !value)}
        className={cn(
          "flex w-full items-center gap-2.5 rounded-lg px-2 py-2 text-left text-sm hover:bg-zinc-200/60 dark:hover:bg-zinc-800",
          "focus-visible:outline-2 focus-visible:outline-blue-500",
          open && "bg-zinc-200/60 dark:bg-zinc-800",
        )}
      >
        <span className="grid size-8 shrink-0 place-items-center rounded-full bg-gradient-to-br from-sky-500 to-indigo-600 text-sm font-semibold text-white">
          {initial}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate font-medium text-zinc-900 dark:text-zinc-100">
            {display}
          </span>
          {user.name ? (
            <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">
              {user.email}
            </span>
          ) : null}
        </span>
        <ChevronUpDownIcon size={16} className="shrink-0 text-zinc-400" />
      </button>
    </div>
  );
}

/** Unsent text stays with its author: nothing of it is left for the browser's next user. */
function forgetLocalState(userId: string) {
  try {
    forgetUser(window.localStorage, userId);
  } catch {
    // Storage blocked (privacy settings): nothing was kept either.
  }
}

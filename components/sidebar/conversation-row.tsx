"use client";

import Link, { useLinkStatus } from "next/link";
import { memo, useEffect, useRef, useState } from "react";
import type { ConversationItem } from "@/client/conversation-list";
import { buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { PencilIcon, TrashIcon } from "@/components/ui/icons";
import { Spinner } from "@/components/ui/spinner";
import { useToast } from "@/components/ui/toast";
import { MAX_TITLE_CHARS } from "@/lib/validation";

const UNTITLED = "New chat";

export const ConversationRow = memo(function ConversationRow({
  item,
  active,
  onRename,
  onDelete,
}: {
  item: ConversationItem;
  active: boolean;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const title = item.title ?? UNTITLED;

  return (
    <li
      data-testid="conversation-item"
      data-conversation-id={item.id}
      aria-current={active ? "page" : undefined}
      className={cn(
        "group relative flex items-center rounded-lg text-sm",
        active
          ? "bg-zinc-200/80 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50"
          : "text-zinc-700 hover:bg-zinc-200/50 dark:text-zinc-300 dark:hover:bg-zinc-800/60",
      )}
    >
      {editing ? (
        <RenameInput
          initial={item.title ?? ""}
          onDone={async (next) => {
            if (next !== null && next !== (item.title ?? "")) await onRename(item.id, next);
            setEditing(false);
          }}
        />
      ) : (
        <>
          <Link
            href={`/c/${item.id}`}
            aria-current={active ? "page" : undefined}
            title={title}
            className="min-w-0 flex-1 truncate rounded-lg py-2 pr-16 pl-3 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-500"
          >
            {title}
            <NavigationPending />
          </Link>
          <div
            className={cn(
              "absolute right-1 flex items-center gap-0.5 transition-opacity",
              "opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 [@media(hover:none)]:opacity-100",
              active && "opacity-100",
            )}
          >
            <button
              type="button"
              data-testid="rename-button"
              aria-label={`Rename “${title}”`}
              title="Rename"
              className={buttonClasses(
                "ghost",
                "icon-sm",
                "hover:bg-zinc-300/60 dark:hover:bg-zinc-700",
              )}
              onClick={() => setEditing(true)}
            >
              <PencilIcon size={14} />
            </button>
            <button
              type="button"
              data-testid="delete-button"
              aria-label={`Delete “${title}”`}
              title="Delete"
              className={buttonClasses(
                "ghost",
                "icon-sm",
                "hover:bg-zinc-300/60 hover:text-red-600 dark:hover:bg-zinc-700 dark:hover:text-red-400",
              )}
              onClick={onDelete}
            >
              <TrashIcon size={14} />
            </button>
          </div>
        </>
      )}
    </li>
  );
});

/** A spinner on the row being opened, until its page arrives. */
function NavigationPending() {
  const { pending } = useLinkStatus();
  if (!pending) return null;
  return <Spinner className="absolute top-1/2 right-16 size-3.5 -translate-y-1/2 text-zinc-400" />;
}

/**
 * Enter or leaving the field saves, Escape cancels (`null`: nothing to save). While the title
 * is being saved the field stays, read-only with a spinner; if saving fails it stays editable
 * with the text kept, so nothing typed is lost.
 */
function RenameInput({
  initial,
  onDone,
}: {
  initial: string;
  onDone: (title: string | null) => Promise<void>;
}) {
  const [value, setValue] = useState(initial);
  const [saving, setSaving] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  const busy = useRef(false);
  const toast = useToast();

  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);

  const finish = async (save: boolean) => {
    if (busy.current) return;
    busy.current = true;
    const title = value.trim();
    setSaving(save && title !== "" && title !== initial);
    try {
      await onDone(save && title ? title : null);
    } catch (error) {
      toast.error(error instanceof Error ? `Rename failed: ${error.message}` : "Rename failed");
      busy.current = false;
      setSaving(false);
      ref.current?.focus();
    }
  };

  return (
    <div className="relative m-0.5 w-full min-w-0">
      <input
        ref={ref}
        data-testid="rename-input"
        aria-label="Conversation title"
        aria-busy={saving || undefined}
        readOnly={saving}
        value={value}
        maxLength={MAX_TITLE_CHARS}
        onChange={(event) => setValue(event.target.value)}
        onBlur={() => void finish(true)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            void finish(true);
          } else if (event.key === "Escape") {
            event.preventDefault();
            event.stopPropagation();
            void finish(false);
          }
        }}
        className="h-8 w-full min-w-0 rounded-md border border-blue-500 bg-white pr-7 pl-2.5 text-sm text-zinc-900 outline-none ring-3 ring-blue-500/20 read-only:opacity-70 dark:bg-zinc-950 dark:text-zinc-100"
      />
      {saving ? (
        <Spinner className="absolute top-1/2 right-2 size-3.5 -translate-y-1/2 text-zinc-400" />
      ) : null}
    </div>
  );
}

"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { AlertIcon, ClockIcon, PencilIcon, RefreshIcon } from "@/components/ui/icons";
import { Spinner } from "@/components/ui/spinner";
import { ActionButton, ForkButton } from "./action-button";
import { MessageEditor } from "./message-editor";
import type { MessageProps } from "./message-item";
import { VersionSwitcher } from "./version-switcher";

/**
 * A message the person wrote: its text, or the inline editor while they edit it; under it its
 * versions, Edit and Branch (once stored), or where it stands while not sent yet.
 */
export function UserMessage({ message, idle, actions }: MessageProps) {
  const pending = message.pending;
  const stored = message.sequence !== null && !pending;
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  // Closing the editor without sending puts focus back on Edit (it is not rendered meanwhile).
  const refocus = useRef(false);

  useEffect(() => {
    if (editing || !refocus.current) return;
    refocus.current = false;
    editButton.current?.focus();
  }, [editing]);

  if (editing) {
    return (
      <div className="flex flex-col items-end">
        <MessageEditor
          initial={message.content}
          onCancel={() => {
            refocus.current = true;
            setEditing(false);
          }}
          onSave={(text) => {
            setEditing(false);
            actions.edit(message.id, text);
          }}
        />
      </div>
    );
  }

  return (
    <div className="flex flex-col items-end gap-1.5">
      <div
        data-testid="message-content"
        className={cn(
          "max-w-[85%] rounded-3xl px-4 py-2.5 text-[15px] leading-7 whitespace-pre-wrap break-words sm:max-w-[75%]",
          "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100",
          pending && pending.state !== "rejected" && "opacity-75",
          pending?.state === "rejected" && "ring-1 ring-red-300 dark:ring-red-500/40",
        )}
      >
        {message.content}
      </div>
      {pending ? <PendingNote message={message} actions={actions} /> : null}
      {stored || (message.versionCount ?? 1) > 1 ? (
        <div className="flex items-center gap-1">
          <VersionSwitcher message={message} onSwitch={actions.switchVersion} />
          {stored ? (
            <div className="flex items-center opacity-0 transition-opacity group-focus-within/message:opacity-100 group-hover/message:opacity-100 [@media(hover:none)]:opacity-100">
              <ActionButton
                ref={editButton}
                testId="edit"
                label="Edit message"
                disabled={!idle}
                onClick={() => setEditing(true)}
              >
                <PencilIcon size={14} />
              </ActionButton>
              <ForkButton messageId={message.id} onFork={actions.fork} />
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function PendingNote({ message, actions }: Pick<MessageProps, "message" | "actions">) {
  const pending = message.pending;
  if (!pending) return null;
  if (pending.state === "queued" || pending.state === "sending") {
    return (
      <p
        className="flex items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400"
        role="status"
      >
        {pending.state === "sending" ? <Spinner className="size-3" /> : <ClockIcon size={13} />}
        {pending.attempts > 0 ? "Retrying…" : "Pending…"}
        {pending.error && pending.state === "queued" ? (
          <span className="text-zinc-400">· {pending.error}</span>
        ) : null}
      </p>
    );
  }
  if (pending.state === "failed") {
    return (
      <div
        className="flex flex-wrap items-center justify-end gap-x-2 gap-y-1 text-xs"
        role="status"
      >
        <span className="flex items-center gap-1.5 font-medium text-amber-700 dark:text-amber-400">
          <AlertIcon size={13} />
          Not sent
        </span>
        <span className="text-zinc-500 dark:text-zinc-400">
          {pending.error ? `${pending.error} · ` : ""}retrying automatically
        </span>
        <Button
          variant="outline"
          size="sm"
          className="h-7 px-2 text-xs"
          data-testid="retry"
          onClick={() => actions.retrySend(message.id)}
        >
          <RefreshIcon size={13} />
          Retry
        </Button>
      </div>
    );
  }
  return (
    <div className="flex flex-wrap items-center justify-end gap-x-2 gap-y-1 text-xs" role="alert">
      <span className="flex items-center gap-1.5 font-medium text-red-600 dark:text-red-400">
        <AlertIcon size={13} />
        Not sent: {pending.error ?? "the server refused this message"}
      </span>
      <CopyButton text={message.content} label="Copy message" showLabel testId="copy-message" />
      <Button
        variant="ghost"
        size="sm"
        className="h-7 px-2 text-xs"
        data-testid="discard"
        onClick={() => actions.discard(message.id)}
      >
        Discard
      </Button>
    </div>
  );
}

"use client";

import { memo, type ReactNode } from "react";
import type { ChatMessage } from "@/client/messages";
import { Markdown } from "@/components/markdown/markdown";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { AlertIcon, ClockIcon, ContinueIcon, RefreshIcon, SparkIcon } from "@/components/ui/icons";
import { Spinner } from "@/components/ui/spinner";

export interface MessageActions {
  regenerate: (replyId: string) => void;
  continueReply: (replyId: string) => void;
  retrySend: (messageId: string) => void;
  discard: (messageId: string) => void;
}

interface Props {
  message: ChatMessage;
  /** The last assistant reply: the one that can be regenerated. */
  isLastReply: boolean;
  /** Its text is arriving right now. */
  live: boolean;
  /** Nothing is in flight, so a new request may start. */
  idle: boolean;
  actions: MessageActions;
}

function dataStatus(message: ChatMessage): string {
  if (!message.pending) return message.status;
  return message.pending.state === "rejected" ? "rejected" : "pending";
}

export const MessageItem = memo(function MessageItem(props: Props) {
  const { message } = props;
  const pending = message.pending && message.pending.state !== "rejected";
  return (
    <article
      data-testid="message"
      data-role={message.role}
      data-status={dataStatus(message)}
      data-message-id={message.id}
      data-pending={pending ? "true" : undefined}
      aria-label={message.role === "user" ? "You said" : "Assistant replied"}
      className="group/message scroll-mt-4"
    >
      {message.role === "user" ? <UserMessage {...props} /> : <AssistantMessage {...props} />}
    </article>
  );
});

function UserMessage({ message, actions }: Props) {
  const pending = message.pending;
  return (
    <div className="flex flex-col items-end gap-1.5">
      <div
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
    </div>
  );
}

function PendingNote({ message, actions }: Pick<Props, "message" | "actions">) {
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

export function TypingDots() {
  return (
    <span
      className="inline-flex h-7 items-center gap-1"
      role="status"
      aria-label="Assistant is writing"
    >
      {[0, 1, 2].map((dot) => (
        <span
          key={dot}
          className="size-1.5 animate-[typing_1.2s_ease-in-out_infinite] rounded-full bg-zinc-400"
          style={{ animationDelay: `${dot * 160}ms` }}
        />
      ))}
    </span>
  );
}

export function AssistantAvatar() {
  return (
    <div className="mt-0.5 grid size-7 shrink-0 place-items-center rounded-full border border-zinc-200 bg-white text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
      <SparkIcon size={15} />
    </div>
  );
}

function AssistantMessage({ message, isLastReply, live, idle, actions }: Props) {
  const streaming = message.status === "streaming";
  const empty = message.content.length === 0;
  return (
    <div className="flex gap-3 sm:gap-4">
      <AssistantAvatar />
      <div className="min-w-0 flex-1 pt-0.5">
        {empty && streaming ? (
          <TypingDots />
        ) : empty && message.status !== "failed" ? (
          <p className="text-sm text-zinc-400 italic">No text</p>
        ) : (
          <Markdown text={message.content} className={cn(live && "streaming-caret")} />
        )}
        <ReplyStatus message={message} isLastReply={isLastReply} idle={idle} actions={actions} />
      </div>
    </div>
  );
}

function ReplyStatus({ message, isLastReply, idle, actions }: Omit<Props, "live">) {
  if (message.status === "streaming") return null;
  const regenerate = isLastReply ? (
    <ActionButton
      testId="regenerate"
      label="Regenerate reply"
      disabled={!idle}
      onClick={() => actions.regenerate(message.id)}
    >
      <RefreshIcon size={14} />
    </ActionButton>
  ) : null;
  const copy = message.content ? <CopyButton text={message.content} label="Copy reply" /> : null;

  if (message.status === "failed") {
    return (
      <div className="mt-2 flex flex-col items-start gap-2">
        <div
          role="alert"
          className="flex items-start gap-2 rounded-xl border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-300"
        >
          <AlertIcon size={16} className="mt-0.5 shrink-0" />
          <span>{message.error ?? "The reply failed."}</span>
        </div>
        <div className="flex items-center gap-1">
          <Button
            variant="outline"
            size="sm"
            data-testid="retry"
            disabled={!idle}
            onClick={() => actions.regenerate(message.id)}
          >
            <RefreshIcon size={14} />
            Retry
          </Button>
          {copy}
        </div>
      </div>
    );
  }

  if (message.status === "interrupted") {
    return (
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <span
          data-testid="interrupted-badge"
          className="inline-flex items-center gap-1 rounded-full border border-amber-300 bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-300"
        >
          <AlertIcon size={12} />
          Interrupted
        </span>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">The reply was cut off.</span>
        <Button
          variant="outline"
          size="sm"
          data-testid="continue"
          disabled={!idle}
          onClick={() => actions.continueReply(message.id)}
        >
          <ContinueIcon size={14} />
          Continue
        </Button>
        <div className="flex items-center">
          {regenerate}
          {copy}
        </div>
      </div>
    );
  }

  return (
    <div className="mt-1 flex items-center gap-1">
      {message.status === "stopped" ? (
        <span
          data-testid="stopped-note"
          className="mr-1 text-xs text-zinc-400 italic dark:text-zinc-500"
        >
          Stopped
        </span>
      ) : null}
      <div
        className={cn(
          "flex items-center transition-opacity",
          !isLastReply &&
            "opacity-0 group-focus-within/message:opacity-100 group-hover/message:opacity-100 [@media(hover:none)]:opacity-100",
        )}
      >
        {copy}
        {regenerate}
      </div>
    </div>
  );
}

function ActionButton({
  testId,
  label,
  disabled,
  onClick,
  children,
}: {
  testId: string;
  label: string;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Button
      variant="ghost"
      size="icon-sm"
      data-testid={testId}
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </Button>
  );
}

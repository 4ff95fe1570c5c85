"use client";

import { memo, type ReactNode } from "react";
import type { ChatMessage } from "@/client/messages";
import type { ModelRef } from "@/client/models";
import { Markdown } from "@/components/markdown/markdown";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { AlertIcon, ContinueIcon, RefreshIcon, SparkIcon } from "@/components/ui/icons";
import { ActionButton, ForkButton } from "./action-button";
import { RegenerateWith } from "./regenerate-with";
import { UserMessage } from "./user-message";
import { VersionSwitcher } from "./version-switcher";

export interface MessageActions {
  /** A new version of the reply, by `model` (else the conversation's). */
  regenerate: (replyId: string, model?: ModelRef) => void;
  continueReply: (replyId: string) => void;
  retrySend: (messageId: string) => void;
  discard: (messageId: string) => void;
  /** Sends `content` as a new version of user message `messageId`. */
  edit: (messageId: string, content: string) => void;
  /** Shows version `versionIndex` of the message (one of its parent's versions). */
  switchVersion: (messageId: string, versionIndex: number) => Promise<void>;
  /** Copies the branch up to the message into a new conversation and opens it. */
  fork: (messageId: string) => void;
}

export interface MessageProps {
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

export const MessageItem = memo(function MessageItem(props: MessageProps) {
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

function AssistantMessage({ message, isLastReply, live, idle, actions }: MessageProps) {
  const streaming = message.status === "streaming";
  const empty = message.content.length === 0;
  const versions = <VersionSwitcher message={message} onSwitch={actions.switchVersion} />;
  return (
    <div className="flex gap-3 sm:gap-4">
      <AssistantAvatar />
      <div className="min-w-0 flex-1 pt-0.5">
        <div data-testid="message-content">
          {empty && streaming ? (
            <TypingDots />
          ) : empty && message.status !== "failed" ? (
            <p className="text-sm text-zinc-400 italic">No text</p>
          ) : (
            <Markdown text={message.content} className={cn(live && "streaming-caret")} />
          )}
        </div>
        {streaming ? (
          <div className="mt-1 flex items-center">{versions}</div>
        ) : (
          <ReplyStatus
            message={message}
            isLastReply={isLastReply}
            idle={idle}
            actions={actions}
            versions={versions}
          />
        )}
      </div>
    </div>
  );
}

function ReplyStatus({
  message,
  isLastReply,
  idle,
  actions,
  versions,
}: Omit<MessageProps, "live"> & { versions: ReactNode }) {
  const regenerateWith = (
    <RegenerateWith disabled={!idle} onPick={(model) => actions.regenerate(message.id, model)} />
  );
  const regenerate = isLastReply ? (
    <>
      <ActionButton
        testId="regenerate"
        label="Regenerate reply"
        disabled={!idle}
        onClick={() => actions.regenerate(message.id)}
      >
        <RefreshIcon size={14} />
      </ActionButton>
      {regenerateWith}
    </>
  ) : null;
  const copy = (
    <>
      {message.content ? <CopyButton text={message.content} label="Copy reply" /> : null}
      {message.sequence !== null ? (
        <ForkButton messageId={message.id} onFork={actions.fork} />
      ) : null}
    </>
  );

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
          {versions}
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
          {regenerateWith}
          {copy}
        </div>
      </div>
    );
  }

  if (message.status === "interrupted") {
    return (
      <div className="mt-2 flex flex-wrap items-center gap-2">
        {versions}
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
      {versions}
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
        <ModelLabel message={message} />
      </div>
    </div>
  );
}

/** Which model wrote the reply (and through which endpoint, when known), beside its actions. */
function ModelLabel({ message }: { message: ChatMessage }) {
  if (!message.model) return null;
  // The offline model has no endpoint worth naming.
  const where = message.endpoint && message.endpoint !== "offline" ? ` on ${message.endpoint}` : "";
  return (
    <span
      data-testid="reply-model"
      className="ml-1 max-w-48 truncate text-xs text-zinc-400 dark:text-zinc-500"
      title={`Written by ${message.model}${where}`}
    >
      <span className="sr-only">Written by </span>
      {message.model}
      {where ? <span className="sr-only">{where}</span> : null}
    </span>
  );
}

"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/client/messages";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ArrowDownIcon } from "@/components/ui/icons";
import { HistoryPageLoader, type PageLoadState } from "./history-page-loader";
import { AssistantAvatar, type MessageActions, MessageItem, TypingDots } from "./message-item";

// How close to the bottom still counts as "reading the newest": new text keeps it in view.
const STICK_PX = 80;

interface Props {
  messages: ChatMessage[];
  hasMore: boolean;
  older: PageLoadState;
  onLoadOlder: () => void;
  /** The window ends before the newest message: newer pages load at the bottom. */
  hasNewer: boolean;
  newer: PageLoadState;
  onLoadNewer: () => void;
  onJumpToLatest: () => void;
  /** Opened at this message (a search result): shown first, and highlighted. */
  focusSequence: number | null;
  liveReplyId: string | null;
  lastReplyId: string | null;
  idle: boolean;
  actions: MessageActions;
  /** A message is on its way and its reply has not started: a placeholder reply shows. */
  awaitingReply: boolean;
}

/**
 * The scrolling history. Opens at the bottom (or, opened at a message, with that message in the
 * middle); follows new text while the reader is at the live end and leaves them alone when they
 * scrolled up; loads older pages when the top comes into view and keeps the same messages under
 * the reader's eyes when they are prepended; loads newer pages when the bottom comes into view
 * while the window has not reached the end.
 */
export function MessageList({
  messages,
  hasMore,
  older,
  onLoadOlder,
  hasNewer,
  newer,
  onLoadNewer,
  onJumpToLatest,
  focusSequence,
  liveReplyId,
  lastReplyId,
  idle,
  actions,
  awaitingReply,
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // Whether the window ended before the newest message at the last render: a page appended
  // then is history loading, not new text to follow.
  const hadNewer = useRef(hasNewer);
  // Measured before each render's DOM changes, used right after them.
  const fromBottom = useRef(0);
  const firstId = useRef<string | null>(null);
  const lastId = useRef<string | null>(null);
  const [awayFromBottom, setAwayFromBottom] = useState(false);

  const measure = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    fromBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight;
    setAwayFromBottom(fromBottom.current > 200);
  }, []);

  const scrollToBottom = useCallback((smooth = false) => {
    const el = scrollRef.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: smooth ? "smooth" : "auto" });
    fromBottom.current = 0;
    setAwayFromBottom(false);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per change of the list; the window's other props are read as they are at that render.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const first = messages[0]?.id ?? null;
    const last = messages.at(-1);
    const prepended =
      firstId.current !== null &&
      first !== firstId.current &&
      messages.some((m) => m.id === firstId.current);
    const isFirstPaint = firstId.current === null && lastId.current === null;
    // The window was swapped for the newest page (a jump to the end): like a first paint.
    const replaced =
      !isFirstPaint && !messages.some((m) => m.id === firstId.current || m.id === lastId.current);
    const sentByMe = last && last.id !== lastId.current && last.role === "user";
    const focus =
      isFirstPaint && focusSequence !== null
        ? el.querySelector<HTMLElement>(`[data-sequence="${focusSequence}"]`)
        : null;
    if (focus) {
      const offset = focus.getBoundingClientRect().top - el.getBoundingClientRect().top;
      el.scrollTop += offset - Math.max(0, (el.clientHeight - focus.offsetHeight) / 2);
      fromBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight;
    } else if (prepended) {
      // Older messages went in above: keep the distance to the bottom, so nothing moves.
      el.scrollTop = el.scrollHeight - el.clientHeight - fromBottom.current;
    } else if (
      isFirstPaint ||
      replaced ||
      sentByMe ||
      (!hadNewer.current && fromBottom.current <= STICK_PX)
    ) {
      el.scrollTop = el.scrollHeight;
      // The intent, not a measurement: if the content has no height yet (still being laid
      // out), the resize observer below finishes the job once it has.
      fromBottom.current = 0;
    }
    firstId.current = first;
    lastId.current = last?.id ?? null;
    hadNewer.current = hasNewer;
  }, [messages]);

  // Content that grows without a new render (fonts, wrapped code) keeps the bottom in view.
  useEffect(() => {
    const el = scrollRef.current;
    const content = el?.firstElementChild;
    if (!el || !content || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (!hadNewer.current && fromBottom.current <= STICK_PX) el.scrollTop = el.scrollHeight;
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  // Either end of a window with more to load there; each page re-arms its observer.
  const pageLoader = (edge: "older" | "newer", state: PageLoadState, onLoad: () => void) => (
    <HistoryPageLoader
      edge={edge}
      state={state}
      onLoad={onLoad}
      scrollRef={scrollRef}
      loaded={messages.length}
    />
  );

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scrollRef}
        data-testid="message-list"
        onScroll={measure}
        className="h-full overflow-y-auto overscroll-contain [overflow-anchor:none]"
      >
        <div className="mx-auto flex w-full max-w-3xl flex-col px-4 pt-6 pb-4 sm:px-6">
          {hasMore ? (
            pageLoader("older", older, onLoadOlder)
          ) : messages.length > 0 ? (
            <p className="pb-6 text-center text-xs text-zinc-400 dark:text-zinc-500">
              Beginning of the conversation
            </p>
          ) : null}
          <ol className="flex flex-col gap-6">
            {messages.map((message) => (
              <li
                key={message.id}
                data-sequence={message.sequence ?? undefined}
                data-highlighted={
                  focusSequence !== null && message.sequence === focusSequence ? "true" : undefined
                }
                className="rounded-2xl data-highlighted:bg-amber-50 data-highlighted:ring-2 data-highlighted:ring-amber-300 data-highlighted:ring-offset-4 data-highlighted:ring-offset-white dark:data-highlighted:bg-amber-950/30 dark:data-highlighted:ring-amber-700 dark:data-highlighted:ring-offset-zinc-950"
              >
                <MessageItem
                  message={message}
                  isLastReply={message.id === lastReplyId}
                  live={message.id === liveReplyId}
                  idle={idle}
                  actions={actions}
                />
              </li>
            ))}
            {awaitingReply ? (
              <li>
                <ReplyPlaceholder />
              </li>
            ) : null}
          </ol>
          {hasNewer ? pageLoader("newer", newer, onLoadNewer) : null}
        </div>
      </div>
      <Button
        variant="outline"
        size="icon"
        aria-label="Scroll to the newest message"
        tabIndex={awayFromBottom || hasNewer ? 0 : -1}
        className={cn(
          "absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-white shadow-md transition-opacity dark:bg-zinc-900",
          awayFromBottom || hasNewer ? "opacity-100" : "pointer-events-none opacity-0",
        )}
        onClick={() => (hasNewer ? onJumpToLatest() : scrollToBottom(true))}
      >
        <ArrowDownIcon size={16} />
      </Button>
    </div>
  );
}

/**
 * The reply to a message just sent, before its first chunk: the reply's place in the list from
 * the moment Enter is pressed, replaced by the real reply when it starts.
 */
function ReplyPlaceholder() {
  return (
    <article
      data-testid="message"
      data-role="assistant"
      data-status="streaming"
      data-message-id=""
      data-placeholder="true"
      aria-label="Assistant is replying"
      className="flex gap-3 sm:gap-4"
    >
      <AssistantAvatar />
      <TypingDots />
    </article>
  );
}

import { titleFromMessage } from "@/lib/title";
import {
  ApiError,
  apiError,
  getLiveStream,
  getMessages,
  postContinue,
  postMessage,
  postRegenerate,
  stopReply,
  TimeoutError,
} from "../api";
import { retryDelay } from "../backoff";
import {
  type ChatMessage,
  fromJson,
  type MessageJson,
  mergeServerMessages,
  newestStored,
  oldestSequence,
  type PendingInfo,
  sortMessages,
} from "../messages";
import type { PendingRecord, PendingStore } from "../pending-store";
import { applyChunk, initialProgress, type ReplyProgress, readChunk } from "../reply-chunks";
import { readJsonEvents } from "../sse";
import { newId } from "../uuid";

export const PAGE_SIZE = 50;
// A 409 can also mean "another message was stored with this id": after this many in a row it is
// treated as final instead of being retried forever.
const MAX_CONFLICTS = 5;

export interface ControllerEvents {
  /** The first message of a new chat was queued: the conversation has an address now. */
  onFirstSend?: (conversationId: string) => void;
  /** The conversation has new activity (it moves to the top of the sidebar). */
  onActivity?: (conversationId: string, titleIfNew: string | null) => void;
  /** A reply ended: the sidebar refetches its first page. */
  onReplySettled?: (conversationId: string) => void;
  onError?: (message: string) => void;
  onSessionExpired?: () => void;
}

export type Busy = null | "sending" | "streaming";

export interface ConversationSnapshot {
  messages: ChatMessage[];
  hasMore: boolean;
  older: "idle" | "loading" | "error";
  /**
   * The window ends before the newest message (opened at a search result): newer pages load on
   * scroll, and nothing is sent or followed until the window reaches the end.
   */
  hasNewer: boolean;
  newer: "idle" | "loading" | "error";
  busy: Busy;
  /** The reply being streamed into the list right now. */
  liveReplyId: string | null;
  /**
   * The last request got no answer, or the server said it cannot serve (502/503/504: down, or
   * its database is): until one succeeds, the view says so; unsent messages wait meanwhile.
   */
  unreachable: boolean;
}

type ActiveKind = "send" | "resume" | "regenerate" | "continue";

interface Active {
  kind: ActiveKind;
  abort: AbortController;
  /** The user message being sent (kind "send"). */
  messageId: string | null;
  progress: ReplyProgress;
}

interface RetryState {
  attempts: number;
  nextAt: number;
  conflicts: number;
}

type StreamEnd = "finished" | "aborted" | "broken";

/** Answers that mean "the service is down for now", not "this request is wrong". */
const isOutage = (status: number) => status === 502 || status === 503 || status === 504;

function describeFailure(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TimeoutError) return error.message;
  if (typeof navigator !== "undefined" && navigator.onLine === false) return "You are offline";
  return "Could not reach the server";
}

/**
 * One conversation in the browser: its messages, the queue of messages not acknowledged yet,
 * and the reply stream. The server owns the history; this keeps a window on it (pages loaded
 * so far) plus local messages waiting to be sent, and never sends history back.
 *
 * Plain TypeScript with a subscribe/getSnapshot pair, so React reads it through
 * useSyncExternalStore and the async flows (retries, streams, resume) live outside rendering.
 */
export class ConversationController {
  readonly conversationId: string;
  private state: ConversationSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly retries = new Map<string, RetryState>();
  private active: Active | null = null;
  private started = false;
  private hadFirstSend: boolean;
  private pumpTimer: ReturnType<typeof setTimeout> | undefined;
  private recoverTimer: ReturnType<typeof setTimeout> | undefined;
  private recoverAttempts = 0;
  private notifyScheduled = false;

  constructor(
    options: {
      conversationId: string;
      initialMessages: readonly MessageJson[];
      hasMore: boolean;
      /** The initial messages are a page from the middle (`around`), not the newest. */
      hasNewer?: boolean;
      isNew: boolean;
    },
    private readonly store: PendingStore,
    private readonly events: ControllerEvents = {},
  ) {
    this.conversationId = options.conversationId;
    this.hadFirstSend = !options.isNew;
    this.state = {
      messages: sortMessages(options.initialMessages.map(fromJson)),
      hasMore: options.hasMore,
      older: "idle",
      hasNewer: options.hasNewer ?? false,
      newer: "idle",
      busy: null,
      liveReplyId: null,
      unreachable: false,
    };
  }

  // ---- React store interface ----

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ConversationSnapshot => this.state;

  /**
   * Replaces the snapshot and tells React. Changes from what the person did (send, stop, retry)
   * are told at once, so they render in the same frame as the key press; streamed text is
   * batched (`batched`).
   */
  private update(patch: Partial<ConversationSnapshot>, batched = false) {
    this.state = { ...this.state, ...patch };
    if (batched) {
      this.scheduleNotify();
    } else {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    }
  }

  // Streamed tokens arrive faster than the screen refreshes: render at most once a frame.
  private scheduleNotify() {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const flush = () => {
      if (!this.notifyScheduled) return;
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    };
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(flush);
    // Background tabs get no animation frames; the timeout keeps state flowing there.
    setTimeout(flush, 50);
  }

  private setMessages(messages: ChatMessage[], batched = false) {
    this.update({ messages }, batched);
  }

  private patchMessage(id: string, patch: (message: ChatMessage) => ChatMessage, batched = false) {
    this.setMessages(
      this.state.messages.map((message) => (message.id === id ? patch(message) : message)),
      batched,
    );
  }

  private setReachable(reachable: boolean) {
    if (this.state.unreachable === reachable) this.update({ unreachable: !reachable });
  }

  private setActive(active: Active | null) {
    this.active = active;
    this.update({
      busy: active
        ? active.kind === "send" && !active.progress.replyId
          ? "sending"
          : "streaming"
        : null,
      liveReplyId: active?.progress.replyId ?? null,
    });
  }

  // ---- lifecycle ----

  /** Browser only: brings back unsent messages, resumes a live reply, starts the queue. */
  start() {
    if (this.started) return;
    this.started = true;
    this.restorePending();
    window.addEventListener("online", this.onOnline);
    // Opened in the middle: what happens at the end (a live reply, unsent messages) waits
    // until the window reaches it.
    if (!this.state.hasNewer) this.continueAtEnd();
  }

  /** At the live end of the conversation: follow the reply being written, or send. */
  private continueAtEnd() {
    const newest = newestStored(this.state.messages);
    if (newest?.role === "assistant" && newest.status === "streaming") void this.resume();
    else this.pump();
  }

  dispose() {
    this.started = false;
    window.removeEventListener("online", this.onOnline);
    clearTimeout(this.pumpTimer);
    clearTimeout(this.recoverTimer);
    const active = this.active;
    this.active = null;
    active?.abort.abort();
    // Unsent messages stay in the store: the next visit sends them.
    this.state = {
      ...this.state,
      busy: null,
      liveReplyId: null,
      messages: this.state.messages.map((message) =>
        message.pending?.state === "sending"
          ? { ...message, pending: { ...message.pending, state: "queued" } }
          : message,
      ),
    };
  }

  private onOnline = () => {
    for (const retry of this.retries.values()) retry.nextAt = 0;
    if (this.recoverTimer !== undefined) {
      clearTimeout(this.recoverTimer);
      this.recoverTimer = undefined;
      void this.recover();
    }
    this.pump();
  };

  private restorePending() {
    const present = new Set(this.state.messages.map((message) => message.id));
    const stored = new Set(
      this.state.messages.filter((message) => !message.pending).map((message) => message.id),
    );
    const records = this.store.load();
    // A stored copy in the loaded messages is the server's acknowledgement.
    const unsent = records.filter((record) => !stored.has(record.id));
    if (unsent.length !== records.length) this.store.save(unsent);
    const restored = unsent
      .filter((record) => !present.has(record.id))
      .map(
        (record): ChatMessage => ({
          id: record.id,
          role: "user",
          content: record.content,
          status: "complete",
          sequence: null,
          error: null,
          model: null,
          createdAt: record.createdAt,
          pending: record.rejected
            ? { state: "rejected", attempts: 1, error: record.rejected }
            : { state: "queued", attempts: 0, error: null },
        }),
      );
    if (unsent.length) this.hadFirstSend = true;
    if (restored.length) this.setMessages(sortMessages([...this.state.messages, ...restored]));
  }

  // ---- sending ----

  /** Queues a message; it stays on screen and in storage until the server acknowledges it. */
  send(content: string) {
    const message: ChatMessage = {
      id: newId(),
      role: "user",
      content,
      status: "complete",
      sequence: null,
      error: null,
      model: null,
      createdAt: new Date().toISOString(),
      pending: { state: "queued", attempts: 0, error: null },
    };
    this.store.save([
      ...this.store.load(),
      { id: message.id, content, createdAt: message.createdAt },
    ]);
    this.setMessages(sortMessages([...this.state.messages, message]));
    if (!this.hadFirstSend) {
      this.hadFirstSend = true;
      this.events.onFirstSend?.(this.conversationId);
    }
    this.events.onActivity?.(this.conversationId, titleFromMessage(content));
    // A message goes at the end of the conversation: jump there first.
    if (this.state.hasNewer) void this.jumpToLatest();
    else this.pump();
  }

  /** Retry now, without waiting for the back-off. */
  retry(messageId: string) {
    const retry = this.retries.get(messageId);
    if (retry) retry.nextAt = 0;
    this.pump();
  }

  /** Forgets a message the server refused. */
  discard(messageId: string) {
    this.retries.delete(messageId);
    this.store.save(this.store.load().filter((record) => record.id !== messageId));
    this.setMessages(this.state.messages.filter((message) => message.id !== messageId));
  }

  /** Sends the oldest unsent message when nothing else is in flight: order is preserved. */
  private pump() {
    if (!this.started || this.active || this.state.hasNewer) return;
    const next = this.state.messages.find(
      (message) => message.pending && message.pending.state !== "rejected",
    );
    if (!next) return;
    const retry = this.retryState(next.id);
    const wait = retry.nextAt - Date.now();
    clearTimeout(this.pumpTimer);
    if (wait > 0) {
      if (Number.isFinite(wait)) this.pumpTimer = setTimeout(() => this.pump(), wait);
      return;
    }
    void this.deliver(next);
  }

  private retryState(id: string): RetryState {
    let retry = this.retries.get(id);
    if (!retry) {
      retry = { attempts: 0, nextAt: 0, conflicts: 0 };
      this.retries.set(id, retry);
    }
    return retry;
  }

  private setPending(id: string, pending: PendingInfo | undefined) {
    this.patchMessage(id, (message) => {
      if (pending) return { ...message, pending };
      const { pending: _, ...rest } = message;
      return rest;
    });
  }

  private async deliver(message: ChatMessage) {
    const active: Active = {
      kind: "send",
      abort: new AbortController(),
      messageId: message.id,
      progress: initialProgress(),
    };
    this.setActive(active);
    const attempts = message.pending?.attempts ?? 0;
    this.setPending(message.id, {
      state: "sending",
      attempts,
      error: message.pending?.error ?? null,
    });

    let response: Response;
    try {
      response = await postMessage(
        this.conversationId,
        { id: message.id, content: message.content },
        active.abort.signal,
      );
    } catch (error) {
      if (this.active !== active) return;
      this.setActive(null);
      this.setReachable(false);
      this.failAttempt(message.id, describeFailure(error));
      return;
    }
    this.setReachable(!isOutage(response.status));
    if (this.active !== active) {
      // Stopped or left while the request was on its way; a later retry finds what was stored.
      response.body?.cancel().catch(() => {});
      return;
    }
    if (!response.ok) {
      this.setActive(null);
      await this.handleRefusal(message.id, await apiError(response));
      return;
    }
    this.acknowledge(message.id);
    await this.follow(response, active);
  }

  private async handleRefusal(id: string, error: ApiError) {
    const retry = this.retryState(id);
    if (error.status === 409) {
      retry.conflicts += 1;
      if (retry.conflicts >= MAX_CONFLICTS) return this.reject(id, error.message);
      // Usually another tab's reply is still being written: show it, then send after it.
      this.failAttempt(id, "Waiting for the reply in progress", null, "queued");
      void this.resume();
      return;
    }
    if (error.status === 429) return this.failAttempt(id, error.message, error.retryAfterMs);
    if (error.status === 401) {
      this.events.onSessionExpired?.();
      return this.failAttempt(id, error.message, Number.POSITIVE_INFINITY);
    }
    if (error.status === 408 || error.status >= 500) {
      return this.failAttempt(id, error.message, error.retryAfterMs);
    }
    this.reject(id, error.message);
  }

  private failAttempt(
    id: string,
    error: string,
    delay: number | null = null,
    state: "failed" | "queued" = "failed",
  ) {
    const retry = this.retryState(id);
    retry.attempts += 1;
    retry.nextAt = Date.now() + (delay ?? retryDelay(retry.attempts));
    this.setPending(id, { state, attempts: retry.attempts, error });
    this.pump();
  }

  private reject(id: string, error: string) {
    this.retries.delete(id);
    this.store.save(
      this.store
        .load()
        .map(
          (record): PendingRecord => (record.id === id ? { ...record, rejected: error } : record),
        ),
    );
    this.setPending(id, { state: "rejected", attempts: 1, error });
    this.events.onError?.(`Message not sent: ${error}`);
    this.pump();
  }

  /** The server has the message: it leaves the pending store for good. */
  private acknowledge(id: string) {
    this.retries.delete(id);
    this.store.save(this.store.load().filter((record) => record.id !== id));
    this.setPending(id, undefined);
  }

  // ---- replies ----

  /** Reads a reply stream into the list, then decides what comes next. */
  private async follow(response: Response, active: Active) {
    const end = await this.readReply(response, active);
    if (this.active !== active) return;
    this.setActive(null);
    if (end === "finished") {
      this.recoverAttempts = 0;
      this.events.onReplySettled?.(this.conversationId);
      this.pump();
    } else if (end === "broken") {
      // The connection dropped; the reply goes on on the server. Pick it up again.
      this.scheduleRecover();
    }
  }

  private async readReply(response: Response, active: Active): Promise<StreamEnd> {
    if (!response.body) return "broken";
    try {
      for await (const value of readJsonEvents(response.body)) {
        if (this.active !== active) return "aborted";
        const chunk = readChunk(value);
        if (!chunk) continue;
        active.progress = applyChunk(active.progress, chunk);
        if (chunk.type === "start") this.onReplyStart(active);
        else this.showProgress(active);
      }
    } catch {
      return this.active === active ? "broken" : "aborted";
    }
    if (this.active !== active) return "aborted";
    const { finished, status } = active.progress;
    // A follower that gave up on a stuck reply ends with it still streaming.
    return finished && status !== "streaming" ? "finished" : "broken";
  }

  private onReplyStart(active: Active) {
    const { replyId, sequence, model } = active.progress;
    if (!replyId) return;
    const messages = this.state.messages.map((message) => {
      // The user message and its reply are stored together, one after the other.
      if (message.id === active.messageId && message.sequence === null && sequence !== null) {
        return { ...message, sequence: sequence - 1 };
      }
      if (message.id !== replyId) return message;
      return {
        ...message,
        status: "streaming" as const,
        error: null,
        sequence: sequence ?? message.sequence,
        content: active.kind === "regenerate" ? "" : message.content,
      };
    });
    if (!messages.some((message) => message.id === replyId)) {
      messages.push({
        id: replyId,
        role: "assistant",
        content: "",
        status: "streaming",
        sequence,
        error: null,
        model,
        createdAt: new Date().toISOString(),
      });
    }
    this.update({ messages: sortMessages(messages), busy: "streaming", liveReplyId: replyId });
  }

  private showProgress(active: Active) {
    const { replyId, replaceOnDelta, content, status, error, model } = active.progress;
    if (!replyId) return;
    this.patchMessage(
      replyId,
      (message) => ({
        ...message,
        // Until the replay's first text arrives, keep what is on screen.
        content: replaceOnDelta ? message.content : content,
        status,
        error,
        model: model ?? message.model,
      }),
      true,
    );
  }

  /** Follows the reply being generated right now, if any (GET /stream). */
  async resume() {
    if (!this.started || this.active) return;
    const active: Active = {
      kind: "resume",
      abort: new AbortController(),
      messageId: null,
      progress: initialProgress(),
    };
    this.setActive(active);
    let response: Response;
    try {
      response = await getLiveStream(this.conversationId, active.abort.signal);
    } catch {
      if (this.active !== active) return;
      this.setActive(null);
      this.setReachable(false);
      this.scheduleRecover();
      return;
    }
    this.setReachable(!isOutage(response.status));
    if (this.active !== active) return;
    if (response.status === 204 || !response.ok) {
      this.setActive(null);
      if (response.status === 401) this.events.onSessionExpired?.();
      if (response.status === 204 || response.status === 404) {
        // Nothing live: what is stored is final. Show it.
        await this.reconcile();
        this.pump();
      } else if (response.status !== 401) {
        this.scheduleRecover();
      }
      return;
    }
    await this.follow(response, active);
  }

  /** Writes a reply again from scratch. */
  regenerate(replyId: string): Promise<void> {
    return this.rewriteReply(replyId, "regenerate");
  }

  /** Carries on an interrupted reply from its text. */
  continueReply(replyId: string): Promise<void> {
    return this.rewriteReply(replyId, "continue");
  }

  private async rewriteReply(replyId: string, mode: "regenerate" | "continue") {
    if (!this.started || this.active) return;
    const before = this.state.messages.find((message) => message.id === replyId);
    if (!before) return;
    const active: Active = {
      kind: mode,
      abort: new AbortController(),
      messageId: null,
      progress: { ...initialProgress(before.content), replyId },
    };
    this.setActive(active);
    this.patchMessage(replyId, (message) => ({
      ...message,
      status: "streaming",
      error: null,
      content: mode === "regenerate" ? "" : message.content,
    }));
    let response: Response;
    try {
      const post = mode === "regenerate" ? postRegenerate : postContinue;
      response = await post(this.conversationId, replyId, active.abort.signal);
    } catch (error) {
      if (this.active !== active) return;
      this.setActive(null);
      this.patchMessage(replyId, () => before);
      this.events.onError?.(describeFailure(error));
      return;
    }
    if (this.active !== active) return;
    if (!response.ok) {
      this.setActive(null);
      this.patchMessage(replyId, () => before);
      const error = await apiError(response);
      if (error.status === 401) this.events.onSessionExpired?.();
      this.events.onError?.(error.message);
      // 409: a reply is being written elsewhere; follow it instead.
      if (error.status === 409) void this.resume();
      return;
    }
    this.events.onActivity?.(this.conversationId, null);
    await this.follow(response, active);
  }

  /** Stops the reply: tells every server to stop writing it, and stops reading here. */
  async stop() {
    const active = this.active;
    if (!active) return;
    this.setActive(null);
    active.abort.abort();
    const replyId = active.progress.replyId;
    if (replyId) {
      this.patchMessage(replyId, (message) =>
        message.status === "streaming" ? { ...message, status: "stopped" } : message,
      );
    }
    if (active.kind === "send" && active.messageId && !replyId) {
      // No answer yet, so it may not have arrived: it stays queued and is sent again (the
      // same id, so it is stored once; the stop below applies to its reply if it was).
      const retry = this.retryState(active.messageId);
      retry.nextAt = Date.now() + 1_500;
      this.setPending(active.messageId, { state: "queued", attempts: retry.attempts, error: null });
    }
    try {
      await stopReply(this.conversationId);
    } catch (error) {
      this.events.onError?.(`Could not stop the reply: ${describeFailure(error)}`);
    }
    // The generating server writes its last text at its next checkpoint; read it then.
    clearTimeout(this.recoverTimer);
    this.recoverTimer = setTimeout(() => {
      this.recoverTimer = undefined;
      void this.recover();
    }, 1_000);
  }

  // ---- consistency with the server ----

  private scheduleRecover() {
    if (!this.started) return;
    this.recoverAttempts += 1;
    clearTimeout(this.recoverTimer);
    this.recoverTimer = setTimeout(() => {
      this.recoverTimer = undefined;
      void this.recover();
    }, retryDelay(this.recoverAttempts));
  }

  /** Re-reads the newest page, then follows the newest reply if it is still being written. */
  private async recover() {
    if (!this.started || this.active) return;
    if (!(await this.reconcile())) {
      this.scheduleRecover();
      return;
    }
    this.recoverAttempts = 0;
    const newest = newestStored(this.state.messages);
    if (newest?.role === "assistant" && newest.status === "streaming") await this.resume();
    else {
      this.events.onReplySettled?.(this.conversationId);
      this.pump();
    }
  }

  /** Merges the newest stored page into the list; false when it could not be read. */
  private async reconcile(): Promise<boolean> {
    try {
      const page = await getMessages(this.conversationId, { limit: PAGE_SIZE });
      this.setReachable(true);
      this.mergeStored(
        page.items,
        this.state.messages.every((m) => m.sequence === null) ? (page.hasMore ?? false) : null,
      );
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return true;
      if (!(error instanceof ApiError) || isOutage(error.status)) this.setReachable(false);
      return false;
    }
  }

  private mergeStored(items: readonly MessageJson[], hasMore: boolean | null) {
    const incoming = items.map(fromJson);
    const acknowledged = incoming.filter(
      (message) => this.retries.has(message.id) || this.isPending(message.id),
    );
    for (const message of acknowledged) this.retries.delete(message.id);
    if (acknowledged.length) {
      const ids = new Set(acknowledged.map((message) => message.id));
      this.store.save(this.store.load().filter((record) => !ids.has(record.id)));
    }
    const live = this.active?.progress.replyId;
    this.update({
      messages: mergeServerMessages(this.state.messages, incoming, new Set(live ? [live] : [])),
      ...(hasMore === null ? {} : { hasMore }),
    });
  }

  private isPending(id: string): boolean {
    return this.state.messages.some((message) => message.id === id && message.pending);
  }

  // ---- history ----

  /** Loads the page before the oldest message held. */
  async loadOlder() {
    if (this.state.older === "loading" || !this.state.hasMore) return;
    const before = oldestSequence(this.state.messages);
    if (before === null || before <= 1) {
      this.update({ hasMore: false });
      return;
    }
    this.update({ older: "loading" });
    try {
      const page = await getMessages(this.conversationId, { before, limit: PAGE_SIZE });
      const live = this.active?.progress.replyId;
      this.update({
        messages: mergeServerMessages(
          this.state.messages,
          page.items.map(fromJson),
          new Set(live ? [live] : []),
        ),
        hasMore: page.hasMore ?? false,
        older: "idle",
      });
    } catch {
      this.update({ older: "error" });
    }
  }

  /** Loads the page after the newest message held; at the end, goes on as at the end. */
  async loadNewer() {
    if (this.state.newer === "loading" || !this.state.hasNewer) return;
    const after = newestStored(this.state.messages)?.sequence ?? 0;
    this.update({ newer: "loading" });
    try {
      const page = await getMessages(this.conversationId, { after, limit: PAGE_SIZE });
      this.update({
        messages: mergeServerMessages(this.state.messages, page.items.map(fromJson)),
        hasNewer: page.hasNewer ?? false,
        newer: "idle",
      });
      if (!this.state.hasNewer && this.started) this.continueAtEnd();
    } catch {
      this.update({ newer: "error" });
    }
  }

  /**
   * Replaces the window with the newest page (keeping unsent messages): for a send from the
   * middle of the conversation, or the reader asking for the newest messages.
   */
  async jumpToLatest() {
    if (!this.state.hasNewer || this.state.newer === "loading") return;
    this.update({ newer: "loading" });
    try {
      const page = await getMessages(this.conversationId, { limit: PAGE_SIZE });
      const unsent = this.state.messages.filter((message) => message.sequence === null);
      this.update({
        messages: mergeServerMessages(unsent, page.items.map(fromJson)),
        hasMore: page.hasMore ?? false,
        older: "idle",
        hasNewer: false,
        newer: "idle",
      });
      if (this.started) this.continueAtEnd();
    } catch {
      this.update({ newer: "error" });
    }
  }
}

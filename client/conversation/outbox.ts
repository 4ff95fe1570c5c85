import type { ApiError } from "../api";
import { retryDelay } from "../backoff";
import { type ChatMessage, type PendingInfo, showEditInPlace, sortMessages } from "../messages";
import type { ModelRef } from "../models";
import type { PendingRecord, PendingStore } from "../pending-store";
import { newId } from "../uuid";
import type { SnapshotStore } from "./snapshot-store";

// A 409 can also mean "another message was stored with this id": after this many in a row it is
// treated as final instead of being retried forever.
const MAX_CONFLICTS = 5;

interface RetryState {
  attempts: number;
  nextAt: number;
  conflicts: number;
}

export interface OutboxHost {
  /** A message may go now: the view is open, nothing else is in flight, the window is at the end. */
  canSend(): boolean;
  /** Sends it and reads its reply, then reports back (acknowledge, failed, refused). */
  deliver(message: ChatMessage): void;
  /** The server refused a message for good. */
  onRejected(error: string): void;
  onSessionExpired(): void;
  /** A 409: usually another tab's reply is still being written. Show it; the message goes after. */
  onReplyInProgress(): void;
}

/**
 * The messages the server has not acknowledged: they stay in the list (marked `pending`) and in
 * the per-user pending store until it does, go out one at a time in the order they were written,
 * and are retried with back-off. The outbox decides when a message goes; the controller sends it
 * and tells the outbox how it went.
 */
export class Outbox {
  private readonly retries = new Map<string, RetryState>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: PendingStore,
    private readonly view: SnapshotStore,
    private readonly host: OutboxHost,
  ) {}

  /**
   * Brings back the messages a previous visit left unsent, dropping those the loaded page shows
   * stored. True when some are still unsent.
   */
  restore(): boolean {
    const present = new Set(this.view.messages.map((message) => message.id));
    const stored = new Set(
      this.view.messages.filter((message) => !message.pending).map((message) => message.id),
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
          ...(record.parentId !== undefined ? { parentId: record.parentId } : {}),
          ...(record.model ? { requestedModel: record.model } : {}),
          pending: record.rejected
            ? { state: "rejected", attempts: 1, error: record.rejected }
            : { state: "queued", attempts: 0, error: null },
        }),
      );
    if (restored.length) {
      let messages = sortMessages([...this.view.messages, ...restored]);
      // The first edit waiting to go decides which branch the screen shows until it is sent.
      const edit = restored.find((m) => m.parentId !== undefined && m.pending?.state === "queued");
      if (edit) messages = showEditInPlace(messages, edit.id);
      this.view.setMessages(messages);
    }
    return unsent.length > 0;
  }

  /**
   * Queues a message; it stays on screen and in storage until the server acknowledges it. An
   * edit carries where it goes (`parentId`, kept in storage too, so a reload sends it to the
   * same place) and the version it becomes. `model`, the one chosen as it was written, is kept
   * with it, so however long it waits it is answered by the model the person saw.
   */
  add(
    content: string,
    {
      edit,
      model,
    }: {
      edit?: { parentId: string | null; versionIndex: number; versionCount: number };
      model?: ModelRef;
    } = {},
  ) {
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
      ...edit,
      ...(model ? { requestedModel: model } : {}),
    };
    this.store.save([
      ...this.store.load(),
      {
        id: message.id,
        content,
        createdAt: message.createdAt,
        ...(edit ? { parentId: edit.parentId } : {}),
        ...(model ? { model } : {}),
      },
    ]);
    this.view.setMessages(sortMessages([...this.view.messages, message]));
  }

  /** Sends the oldest unsent message when nothing else is in flight: order is preserved. */
  pump() {
    if (!this.host.canSend()) return;
    const next = this.view.messages.find(
      (message) => message.pending && message.pending.state !== "rejected",
    );
    if (!next) return;
    const retry = this.retryState(next.id);
    const wait = retry.nextAt - Date.now();
    clearTimeout(this.timer);
    if (wait > 0) {
      if (Number.isFinite(wait)) this.timer = setTimeout(() => this.pump(), wait);
      return;
    }
    this.host.deliver(next);
  }

  /** Retry now, without waiting for the back-off. */
  retry(messageId: string) {
    const retry = this.retries.get(messageId);
    if (retry) retry.nextAt = 0;
    this.pump();
  }

  /** The network is back: every message may go at once (the caller pumps). */
  clearBackoff() {
    for (const retry of this.retries.values()) retry.nextAt = 0;
  }

  /** Forgets a message the server refused. */
  discard(messageId: string) {
    this.retries.delete(messageId);
    this.store.save(this.store.load().filter((record) => record.id !== messageId));
    this.view.setMessages(this.view.messages.filter((message) => message.id !== messageId));
  }

  /** A request for it is on its way. */
  sending(message: ChatMessage) {
    this.setPending(message.id, {
      state: "sending",
      attempts: message.pending?.attempts ?? 0,
      error: message.pending?.error ?? null,
    });
  }

  /** The server has the message: it leaves the pending store for good. */
  acknowledge(id: string) {
    this.retries.delete(id);
    this.store.save(this.store.load().filter((record) => record.id !== id));
    this.view.patchMessage(id, ({ pending: _, requestedModel: __, ...stored }) => stored);
  }

  /** Messages read from the server: those still unsent here are acknowledged by it. */
  acknowledgeStored(messages: readonly ChatMessage[]) {
    const acknowledged = messages.filter(
      (message) => this.retries.has(message.id) || this.isPending(message.id),
    );
    for (const message of acknowledged) this.retries.delete(message.id);
    if (acknowledged.length) {
      const ids = new Set(acknowledged.map((message) => message.id));
      this.store.save(this.store.load().filter((record) => !ids.has(record.id)));
    }
  }

  /** The request got no answer (network, timeout): try again after the back-off. */
  unanswered(id: string, error: string) {
    this.failAttempt(id, error);
  }

  /** The server answered with an error: retry, wait for it, or give up, depending on which. */
  refused(id: string, error: ApiError) {
    const retry = this.retryState(id);
    if (error.status === 409) {
      retry.conflicts += 1;
      if (retry.conflicts >= MAX_CONFLICTS) return this.reject(id, error.message);
      this.failAttempt(id, "Waiting for the reply in progress", null, "queued");
      this.host.onReplyInProgress();
      return;
    }
    if (error.status === 429) return this.failAttempt(id, error.message, error.retryAfterMs);
    if (error.status === 401) {
      this.host.onSessionExpired();
      return this.failAttempt(id, error.message, Number.POSITIVE_INFINITY);
    }
    if (error.status === 408 || error.status >= 500) {
      return this.failAttempt(id, error.message, error.retryAfterMs);
    }
    this.reject(id, error.message);
  }

  /**
   * Stopped before any answer, so it may not have arrived: it stays queued and is sent again (the
   * same id, so it is stored once; the stop applies to its reply if it was).
   */
  stoppedBeforeAnswer(id: string) {
    const retry = this.retryState(id);
    retry.nextAt = Date.now() + 1_500;
    this.setPending(id, { state: "queued", attempts: retry.attempts, error: null });
  }

  /** The view is going away: a message being sent goes back to the queue for the next visit. */
  dispose() {
    clearTimeout(this.timer);
    this.view.updateQuietly({
      messages: this.view.messages.map((message) =>
        message.pending?.state === "sending"
          ? { ...message, pending: { ...message.pending, state: "queued" } }
          : message,
      ),
    });
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
    this.host.onRejected(error);
    this.pump();
  }

  private retryState(id: string): RetryState {
    let retry = this.retries.get(id);
    if (!retry) {
      retry = { attempts: 0, nextAt: 0, conflicts: 0 };
      this.retries.set(id, retry);
    }
    return retry;
  }

  private isPending(id: string): boolean {
    return this.view.messages.some((message) => message.id === id && message.pending);
  }

  private setPending(id: string, pending: PendingInfo) {
    this.view.patchMessage(id, (message) => ({ ...message, pending }));
  }
}

import type { ChatMessage } from "../messages";
import type { ModelRef } from "../models";

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
  /** The model the next turn goes to, as the header shows it; null when none was given. */
  model: ModelRef | null;
  /** `model` is the conversation's, and the deployment no longer lists it. */
  modelGone: boolean;
}

/** A conversation as it opens: nothing loading, nothing in flight. */
export function openingSnapshot(
  messages: ChatMessage[],
  window: { hasMore: boolean; hasNewer?: boolean; model?: ModelRef | null; modelGone?: boolean },
): ConversationSnapshot {
  return {
    messages,
    hasMore: window.hasMore,
    older: "idle",
    hasNewer: window.hasNewer ?? false,
    newer: "idle",
    busy: null,
    liveReplyId: null,
    unreachable: false,
    model: window.model ?? null,
    modelGone: window.modelGone ?? false,
  };
}

/**
 * The one snapshot the outbox, the reply reader and the history window all write to, with the
 * subscribe/getSnapshot pair React reads through useSyncExternalStore.
 */
export class SnapshotStore {
  private state: ConversationSnapshot;
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;

  constructor(initial: ConversationSnapshot) {
    this.state = initial;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ConversationSnapshot => this.state;

  get messages(): ChatMessage[] {
    return this.state.messages;
  }

  /**
   * Replaces the snapshot and tells React. Changes from what the person did (send, stop, retry)
   * are told at once, so they render in the same frame as the key press; streamed text is
   * batched (`batched`).
   */
  update(patch: Partial<ConversationSnapshot>, batched = false) {
    this.state = { ...this.state, ...patch };
    if (batched) {
      this.scheduleNotify();
    } else {
      this.notifyScheduled = false;
      this.notify();
    }
  }

  /** Changes the snapshot without telling anyone: the view is going away. */
  updateQuietly(patch: Partial<ConversationSnapshot>) {
    this.state = { ...this.state, ...patch };
  }

  setMessages(messages: ChatMessage[], batched = false) {
    this.update({ messages }, batched);
  }

  patchMessage(id: string, patch: (message: ChatMessage) => ChatMessage, batched = false) {
    this.setMessages(
      this.state.messages.map((message) => (message.id === id ? patch(message) : message)),
      batched,
    );
  }

  setReachable(reachable: boolean) {
    if (this.state.unreachable === reachable) this.update({ unreachable: !reachable });
  }

  private notify() {
    for (const listener of this.listeners) listener();
  }

  // Streamed tokens arrive faster than the screen refreshes: render at most once a frame.
  private scheduleNotify() {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const flush = () => {
      if (!this.notifyScheduled) return;
      this.notifyScheduled = false;
      this.notify();
    };
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(flush);
    // Background tabs get no animation frames; the timeout keeps state flowing there.
    setTimeout(flush, 50);
  }
}

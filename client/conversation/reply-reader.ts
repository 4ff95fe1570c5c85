import { retryDelay } from "../backoff";
import { newestStored, sortMessages } from "../messages";
import { applyChunk, initialProgress, type ReplyProgress, readChunk } from "../reply-chunks";
import { readJsonEvents } from "../sse";
import { isOutage } from "./failures";
import type { SnapshotStore } from "./snapshot-store";

export type ReplyKind = "send" | "resume" | "regenerate" | "continue";

/** The one request in flight: a message waiting for its reply, or a reply being read. */
export interface ActiveReply {
  kind: ReplyKind;
  abort: AbortController;
  /** The user message being sent (kind "send"). */
  messageId: string | null;
  progress: ReplyProgress;
}

type StreamEnd = "finished" | "aborted" | "broken";

export interface ReplyReaderHost {
  /** The view is open (between start and dispose). */
  isStarted(): boolean;
  /** GET …/stream: the reply being written now, replayed from its start; 204 when there is none. */
  openLiveStream(signal: AbortSignal): Promise<Response>;
  /** Re-reads the newest page into the list; false when it could not be read. */
  readNewest(): Promise<boolean>;
  /** A reply ended for good (the sidebar refetches). */
  onSettled(): void;
  /** Nothing is being read any more: what waits to be sent may go. */
  onIdle(): void;
  onSessionExpired(): void;
}

/**
 * Reads reply streams into the list: one at a time, each an SSE response whose chunks become the
 * reply's text and status. When a stream breaks, the reply goes on on the server: the reader
 * re-reads the newest page and follows the reply again (GET …/stream), backing off while it
 * cannot.
 */
export class ReplyReader {
  private active: ActiveReply | null = null;
  private recoverTimer: ReturnType<typeof setTimeout> | undefined;
  private recoverAttempts = 0;

  constructor(
    private readonly view: SnapshotStore,
    private readonly host: ReplyReaderHost,
  ) {}

  /** A request or a reply is in flight. */
  get busy(): boolean {
    return this.active !== null;
  }

  /** The reply being streamed: its live text is ahead of any stored copy. */
  get liveReplyId(): string | null {
    return this.active?.progress.replyId ?? null;
  }

  /** Takes the one slot for a request whose answer is a reply stream. */
  begin(
    kind: ReplyKind,
    options: { messageId?: string; progress?: ReplyProgress } = {},
  ): ActiveReply {
    const active: ActiveReply = {
      kind,
      abort: new AbortController(),
      messageId: options.messageId ?? null,
      progress: options.progress ?? initialProgress(),
    };
    this.setActive(active);
    return active;
  }

  /** False once the request was stopped, replaced or left. */
  isCurrent(active: ActiveReply): boolean {
    return this.active === active;
  }

  /** Gives the slot back: the request ended without a reply to read. */
  release() {
    this.setActive(null);
  }

  /** Stops reading here and marks the reply stopped; returns what was in flight. */
  cancel(): ActiveReply | null {
    const active = this.active;
    if (!active) return null;
    this.setActive(null);
    active.abort.abort();
    const replyId = active.progress.replyId;
    if (replyId) {
      this.view.patchMessage(replyId, (message) =>
        message.status === "streaming" ? { ...message, status: "stopped" } : message,
      );
    }
    return active;
  }

  /** Reads a reply stream into the list, then decides what comes next. */
  async follow(response: Response, active: ActiveReply) {
    const end = await this.read(response, active);
    if (this.active !== active) return;
    this.setActive(null);
    if (end === "finished") {
      this.recoverAttempts = 0;
      this.host.onSettled();
      this.host.onIdle();
    } else if (end === "broken") {
      // The connection dropped; the reply goes on on the server. Pick it up again.
      this.scheduleRecover();
    }
  }

  /** Follows the reply being generated right now, if any. */
  async resume() {
    if (!this.host.isStarted() || this.active) return;
    const active = this.begin("resume");
    let response: Response;
    try {
      response = await this.host.openLiveStream(active.abort.signal);
    } catch {
      if (this.active !== active) return;
      this.setActive(null);
      this.view.setReachable(false);
      this.scheduleRecover();
      return;
    }
    this.view.setReachable(!isOutage(response.status));
    if (this.active !== active) return;
    if (response.status === 204 || !response.ok) {
      this.setActive(null);
      if (response.status === 401) this.host.onSessionExpired();
      if (response.status === 204 || response.status === 404) {
        // Nothing live: what is stored is final. Show it.
        await this.host.readNewest();
        this.host.onIdle();
      } else if (response.status !== 401) {
        this.scheduleRecover();
      }
      return;
    }
    await this.follow(response, active);
  }

  /**
   * Shows the live text again: the reply was out of view (another branch was shown) while its
   * text arrived, and the page just read holds an older checkpoint of it.
   */
  showLive() {
    if (this.active) this.showProgress(this.active);
  }

  /** Re-reads the history after `delayMs` (a stop: the server writes its last text then). */
  recoverAfter(delayMs: number) {
    clearTimeout(this.recoverTimer);
    this.recoverTimer = setTimeout(() => {
      this.recoverTimer = undefined;
      void this.recover();
    }, delayMs);
  }

  /** The network is back: a recovery waiting for its back-off runs now. */
  recoverNow() {
    if (this.recoverTimer === undefined) return;
    clearTimeout(this.recoverTimer);
    this.recoverTimer = undefined;
    void this.recover();
  }

  /** The view is going away: stop reading without telling it. */
  dispose() {
    clearTimeout(this.recoverTimer);
    const active = this.active;
    this.active = null;
    active?.abort.abort();
    this.view.updateQuietly({ busy: null, liveReplyId: null });
  }

  private setActive(active: ActiveReply | null) {
    this.active = active;
    this.view.update({
      busy: active
        ? active.kind === "send" && !active.progress.replyId
          ? "sending"
          : "streaming"
        : null,
      liveReplyId: active?.progress.replyId ?? null,
    });
  }

  private async read(response: Response, active: ActiveReply): Promise<StreamEnd> {
    if (!response.body) return "broken";
    try {
      for await (const value of readJsonEvents(response.body)) {
        if (this.active !== active) return "aborted";
        const chunk = readChunk(value);
        if (!chunk) continue;
        active.progress = applyChunk(active.progress, chunk);
        if (chunk.type === "start") this.showStart(active);
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

  private showStart(active: ActiveReply) {
    const { replyId, sequence, model, endpoint } = active.progress;
    if (!replyId) return;
    const messages = this.view.messages.map((message) => {
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
        endpoint,
        createdAt: new Date().toISOString(),
      });
    }
    this.view.update({ messages: sortMessages(messages), busy: "streaming", liveReplyId: replyId });
  }

  private showProgress(active: ActiveReply) {
    const { replyId, replaceOnDelta, content, status, error, model, endpoint } = active.progress;
    if (!replyId) return;
    this.view.patchMessage(
      replyId,
      (message) => ({
        ...message,
        // Until the replay's first text arrives, keep what is on screen.
        content: replaceOnDelta ? message.content : content,
        status,
        error,
        model: model ?? message.model,
        endpoint: endpoint ?? message.endpoint,
      }),
      true,
    );
  }

  private scheduleRecover() {
    if (!this.host.isStarted()) return;
    this.recoverAttempts += 1;
    this.recoverAfter(retryDelay(this.recoverAttempts));
  }

  /** Re-reads the newest page, then follows the newest reply if it is still being written. */
  private async recover() {
    if (!this.host.isStarted() || this.active) return;
    if (!(await this.host.readNewest())) {
      this.scheduleRecover();
      return;
    }
    this.recoverAttempts = 0;
    const newest = newestStored(this.view.messages);
    if (newest?.role === "assistant" && newest.status === "streaming") await this.resume();
    else {
      this.host.onSettled();
      this.host.onIdle();
    }
  }
}

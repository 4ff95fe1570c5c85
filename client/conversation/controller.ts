import { titleFromMessage } from "@/lib/title";
import {
  ApiError,
  apiError,
  getLiveStream,
  type MessagePage,
  postFork,
  postMessage,
  postSwitch,
  stopReply,
} from "../api";
import {
  type ChatMessage,
  fromJson,
  keepBefore,
  type MessageJson,
  newestStored,
  sortMessages,
} from "../messages";
import type { ModelRef } from "../models";
import type { PendingStore } from "../pending-store";
import { newId } from "../uuid";
import { describeFailure, isOutage } from "./failures";
import { conversationHistory, HistoryWindow } from "./history-window";
import { ModelChoice } from "./model-choice";
import { Outbox } from "./outbox";
import { ReplyReader } from "./reply-reader";
import { ReplyRequests } from "./reply-requests";
import { type ConversationSnapshot, openingSnapshot, SnapshotStore } from "./snapshot-store";

export interface ControllerEvents {
  /** The first message of a new chat was queued: the conversation has an address now. */
  onFirstSend?: (conversationId: string) => void;
  /** The conversation has new activity (it moves to the top of the sidebar). */
  onActivity?: (conversationId: string, titleIfNew: string | null) => void;
  /** A reply ended: the sidebar refetches its first page. */
  onReplySettled?: (conversationId: string) => void;
  onError?: (message: string) => void;
  onSessionExpired?: () => void;
  /** The person chose a model (picked it, or sent with it): new chats start on it. */
  onModelChosen?: (model: ModelRef) => void;
}

/**
 * One conversation in the browser, composed of parts that share one snapshot: the outbox
 * (messages not acknowledged yet, edits included), the reply reader (the reply stream, and
 * picking it up again when it breaks), the reply requests (regenerate, continue), the history
 * window (the pages loaded so far of the current branch) and the model choice (which model the
 * next turn goes to). This wires them together, sends what
 * the outbox hands it, switches versions and stops replies. Whatever changes the current branch
 * (an edit, a new version, a switch) ends with the window reloading it from the server.
 *
 * Plain TypeScript with a subscribe/getSnapshot pair, so React reads it through
 * useSyncExternalStore and the async flows (retries, streams, resume) live outside rendering.
 */
export class ConversationController {
  readonly conversationId: string;
  readonly subscribe: (listener: () => void) => () => void;
  readonly getSnapshot: () => ConversationSnapshot;
  private readonly view: SnapshotStore;
  private readonly outbox: Outbox;
  private readonly reader: ReplyReader;
  private readonly history: HistoryWindow;
  private readonly replies: ReplyRequests;
  private readonly models: ModelChoice;
  private started = false;
  private hadFirstSend: boolean;
  // The server has the conversation: from the start, or since its first message was acknowledged.
  private stored: boolean;
  // The reply being read follows an edit or is a new version: the branch changed under the
  // window, which reloads when the reply ends.
  private reloadWhenSettled = false;

  constructor(
    options: {
      conversationId: string;
      initialMessages: readonly MessageJson[];
      hasMore: boolean;
      /** The initial messages are a page from the middle (`around`), not the newest. */
      hasNewer?: boolean;
      isNew: boolean;
      /** What the header shows and a send asks for; `modelGone`: the server no longer lists it. */
      model?: ModelRef | null;
      modelGone?: boolean;
    },
    store: PendingStore,
    private readonly events: ControllerEvents = {},
  ) {
    const id = options.conversationId;
    this.conversationId = id;
    this.hadFirstSend = !options.isNew;
    this.stored = !options.isNew;
    this.view = new SnapshotStore(
      openingSnapshot(sortMessages(options.initialMessages.map(fromJson)), options),
    );
    this.subscribe = this.view.subscribe;
    this.getSnapshot = this.view.getSnapshot;
    this.outbox = new Outbox(store, this.view, {
      canSend: () => this.started && !this.reader.busy && !this.view.getSnapshot().hasNewer,
      deliver: (message) => void this.deliver(message),
      onRejected: (error) => this.events.onError?.(`Message not sent: ${error}`),
      onSessionExpired: () => this.events.onSessionExpired?.(),
      onReplyInProgress: () => void this.reader.resume(),
    });
    this.reader = new ReplyReader(this.view, {
      isStarted: () => this.started,
      openLiveStream: (signal) => getLiveStream(id, signal),
      readNewest: () => this.history.readNewest(),
      onSettled: () => {
        this.events.onReplySettled?.(id);
        if (this.reloadWhenSettled) {
          this.reloadWhenSettled = false;
          void this.history.reload();
        }
      },
      onIdle: () => this.outbox.pump(),
      onSessionExpired: () => this.events.onSessionExpired?.(),
    });
    this.replies = new ReplyRequests(id, this.view, this.reader, {
      isStarted: () => this.started,
      onNewVersion: () => {
        this.reloadWhenSettled = true;
      },
      onActivity: () => this.events.onActivity?.(id, null),
      onError: (message) => this.events.onError?.(message),
      onSessionExpired: () => this.events.onSessionExpired?.(),
    });
    this.models = new ModelChoice(id, this.view, {
      isStored: () => this.stored,
      onChosen: (model) => this.events.onModelChosen?.(model),
      onError: (message) => this.events.onError?.(message),
      onSessionExpired: () => this.events.onSessionExpired?.(),
    });
    this.history = new HistoryWindow(this.view, conversationHistory(id), {
      liveReplyId: () => this.reader.liveReplyId,
      onStored: (messages) => this.outbox.acknowledgeStored(messages),
      onReachedEnd: () => {
        if (this.started) this.continueAtEnd();
      },
    });
  }

  // ---- lifecycle ----

  /** Browser only: brings back unsent messages, resumes a live reply, starts the queue. */
  start() {
    if (this.started) return;
    this.started = true;
    if (this.outbox.restore()) this.hadFirstSend = true;
    window.addEventListener("online", this.onOnline);
    // Opened in the middle: what happens at the end (a live reply, unsent messages) waits
    // until the window reaches it.
    if (!this.view.getSnapshot().hasNewer) this.continueAtEnd();
  }

  dispose() {
    this.started = false;
    window.removeEventListener("online", this.onOnline);
    // Unsent messages stay in the store: the next visit sends them.
    this.outbox.dispose();
    this.reader.dispose();
  }

  /** At the live end of the conversation: follow the reply being written, or send. */
  private continueAtEnd() {
    const newest = newestStored(this.view.messages);
    if (newest?.role === "assistant" && newest.status === "streaming") void this.reader.resume();
    else this.outbox.pump();
  }

  private onOnline = () => {
    this.outbox.clearBackoff();
    this.reader.recoverNow();
    this.outbox.pump();
  };

  // ---- sending ----

  /**
   * Queues a message, for the model shown now; it stays on screen and in storage until the
   * server acknowledges it.
   */
  send(content: string) {
    this.outbox.add(content, { model: this.models.requested });
    if (!this.hadFirstSend) {
      this.hadFirstSend = true;
      this.events.onFirstSend?.(this.conversationId);
    }
    this.events.onActivity?.(this.conversationId, titleFromMessage(content));
    // A message goes at the end of the conversation: jump there first.
    if (this.view.getSnapshot().hasNewer) void this.history.jumpToLatest();
    else this.outbox.pump();
  }

  /**
   * Sends `content` as a new version of user message `messageId`: it goes after that message's
   * parent, through the outbox like any message (kept until acknowledged, sent once). The screen
   * shows the branch it starts; the old version and what followed it stay on the server.
   */
  edit(messageId: string, content: string) {
    const original = this.view.messages.find((message) => message.id === messageId);
    if (original?.role !== "user" || original.sequence === null) return;
    const versionCount = (original.versionCount ?? 1) + 1;
    // The window was the old version's branch; the new one has nothing after the edit yet.
    this.view.update({ messages: keepBefore(this.view.messages, messageId), hasNewer: false });
    this.outbox.add(content, {
      edit: { parentId: original.parentId ?? null, versionIndex: versionCount - 1, versionCount },
      model: this.models.requested,
    });
    this.events.onActivity?.(this.conversationId, null);
    this.outbox.pump();
  }

  /** Retry now, without waiting for the back-off. */
  retry(messageId: string) {
    this.outbox.retry(messageId);
  }

  /** Forgets a message the server refused. */
  discard(messageId: string) {
    this.outbox.discard(messageId);
  }

  /** Posts the message the outbox says is next, and reads the reply that answers it. */
  private async deliver(message: ChatMessage) {
    const active = this.reader.begin("send", { messageId: message.id });
    this.outbox.sending(message);
    let response: Response;
    try {
      response = await postMessage(
        this.conversationId,
        {
          id: message.id,
          content: message.content,
          ...(message.parentId !== undefined ? { parentId: message.parentId } : {}),
          ...(message.requestedModel ? { model: message.requestedModel } : {}),
        },
        active.abort.signal,
      );
    } catch (error) {
      if (!this.reader.isCurrent(active)) return;
      this.reader.release();
      this.view.setReachable(false);
      this.outbox.unanswered(message.id, describeFailure(error));
      return;
    }
    this.view.setReachable(!isOutage(response.status));
    if (!this.reader.isCurrent(active)) {
      // Stopped or left while the request was on its way; a later retry finds what was stored.
      response.body?.cancel().catch(() => {});
      return;
    }
    if (!response.ok) {
      this.reader.release();
      this.outbox.refused(message.id, await apiError(response));
      return;
    }
    this.outbox.acknowledge(message.id);
    const firstSend = !this.stored;
    this.stored = true;
    if (message.requestedModel) this.models.sent(message.requestedModel, firstSend);
    if (message.parentId !== undefined) this.reloadWhenSettled = true;
    await this.reader.follow(response, active);
  }

  // ---- replies ----

  /** Follows the reply being generated right now, if any (GET /stream). */
  resume(): Promise<void> {
    return this.reader.resume();
  }

  /**
   * Writes a new version of a reply, by `model` (else the model shown, which stays the
   * conversation's); the old one stays, one switch away.
   */
  regenerate(replyId: string, model?: ModelRef): Promise<void> {
    return this.replies.regenerate(replyId, model ?? this.models.requested);
  }

  // ---- model ----

  /** Puts the conversation on `model` for its next turns (shown at once, stored with it). */
  pickModel(model: ModelRef): Promise<void> {
    return this.models.pick(model);
  }

  /** Carries on an interrupted reply from its text, in place. */
  continueReply(replyId: string): Promise<void> {
    return this.replies.continueReply(replyId);
  }

  // ---- versions ----

  /**
   * Shows version `versionIndex` of message `messageId` (one of its parent's versions): the
   * server makes that branch current for every device, and the window reloads it. A reply being
   * read goes on; it shows again when its branch does.
   */
  async switchVersion(messageId: string, versionIndex: number): Promise<void> {
    let page: MessagePage;
    try {
      page = await postSwitch(this.conversationId, { siblingOf: messageId, versionIndex });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.events.onSessionExpired?.();
      this.events.onError?.(`Could not switch versions: ${describeFailure(error)}`);
      return;
    }
    // The switch answers the branch's newest page; a server that did not is asked for it.
    if (await this.history.reload(Array.isArray(page.items) ? page : undefined)) {
      this.reader.showLive();
    } else this.events.onError?.("Could not load this version; try again");
  }

  /**
   * Copies the branch up to `messageId` into a new conversation; its id, or null when it could
   * not be made.
   */
  async fork(messageId: string): Promise<string | null> {
    const conversationId = newId();
    try {
      await postFork(this.conversationId, messageId, conversationId);
      return conversationId;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.events.onSessionExpired?.();
      this.events.onError?.(`Could not branch into a new chat: ${describeFailure(error)}`);
      return null;
    }
  }

  /** Stops the reply: tells every server to stop writing it, and stops reading here. */
  async stop() {
    const stopped = this.reader.cancel();
    if (!stopped) return;
    if (stopped.kind === "send" && stopped.messageId && !stopped.progress.replyId) {
      this.outbox.stoppedBeforeAnswer(stopped.messageId);
    }
    try {
      await stopReply(this.conversationId);
    } catch (error) {
      this.events.onError?.(`Could not stop the reply: ${describeFailure(error)}`);
    }
    // The generating server writes its last text at its next checkpoint; read it then.
    this.reader.recoverAfter(1_000);
  }

  // ---- history ----

  loadOlder(): Promise<void> {
    return this.history.loadOlder();
  }

  /** Loads the page after the newest message held; at the end, goes on as at the end. */
  loadNewer(): Promise<void> {
    return this.history.loadNewer();
  }

  jumpToLatest(): Promise<void> {
    return this.history.jumpToLatest();
  }
}

import { ApiError, getMessages, type MessagePage } from "../api";
import {
  type ChatMessage,
  fromJson,
  mergeServerMessages,
  newestDepth,
  oldestDepth,
} from "../messages";
import { isOutage } from "./failures";
import type { SnapshotStore } from "./snapshot-store";

export const PAGE_SIZE = 50;

/**
 * One page of the current branch to read: before a depth, after one, or (neither) the newest
 * page. Depths are positions along the branch; `sequence` counts every branch and is no cursor.
 */
export interface PageRequest {
  before?: number;
  after?: number;
  limit: number;
}

/**
 * Where the window's pages come from: every page it reads goes through here. The server keeps
 * which branch is current (per conversation, for every device), so a page is always of that
 * branch; after the branch changes (a switch, an edit, a regenerate) the window `reload`s.
 */
export type HistorySource = (request: PageRequest) => Promise<MessagePage>;

export function conversationHistory(conversationId: string): HistorySource {
  return (request) => getMessages(conversationId, request);
}

export interface HistoryWindowHost {
  /** The reply being streamed: its live text is ahead of any stored copy. */
  liveReplyId(): string | null;
  /** Stored messages were read: those still unsent here were acknowledged. */
  onStored(messages: readonly ChatMessage[]): void;
  /** The window now ends at the newest message (it was opened in the middle). */
  onReachedEnd(): void;
}

/**
 * The part of the history on screen. The server owns the history; this holds the pages loaded
 * so far, pages both ways, and replaces itself with the newest page on a jump to the end. A
 * conversation opened at a search result starts in the middle (`hasNewer`); the page around it
 * is loaded by the server page.
 */
export class HistoryWindow {
  constructor(
    private readonly view: SnapshotStore,
    private readonly source: HistorySource,
    private readonly host: HistoryWindowHost,
  ) {}

  /** Loads the page before the oldest message held. */
  async loadOlder() {
    const { older, hasMore } = this.view.getSnapshot();
    if (older === "loading" || !hasMore) return;
    const before = oldestDepth(this.view.messages);
    if (before === null || before <= 1) {
      this.view.update({ hasMore: false });
      return;
    }
    this.view.update({ older: "loading" });
    try {
      const page = await this.source({ before, limit: PAGE_SIZE });
      this.view.update({
        messages: mergeServerMessages(
          this.view.messages,
          page.items.map(fromJson),
          this.keepLocal(),
        ),
        hasMore: page.hasMore ?? false,
        older: "idle",
      });
    } catch {
      this.view.update({ older: "error" });
    }
  }

  /** Loads the page after the newest message held. */
  async loadNewer() {
    const { newer, hasNewer } = this.view.getSnapshot();
    if (newer === "loading" || !hasNewer) return;
    const after = newestDepth(this.view.messages) ?? 0;
    this.view.update({ newer: "loading" });
    try {
      const page = await this.source({ after, limit: PAGE_SIZE });
      this.view.update({
        messages: mergeServerMessages(this.view.messages, page.items.map(fromJson)),
        hasNewer: page.hasNewer ?? false,
        newer: "idle",
      });
      if (!this.view.getSnapshot().hasNewer) this.host.onReachedEnd();
    } catch {
      this.view.update({ newer: "error" });
    }
  }

  /**
   * Replaces the window with the newest page (keeping unsent messages): for a send from the
   * middle of the conversation, or the person asking for the newest messages.
   */
  async jumpToLatest() {
    const { newer, hasNewer } = this.view.getSnapshot();
    if (!hasNewer || newer === "loading") return;
    await this.replaceWithNewest();
  }

  /**
   * The current branch changed (a switch, an edit, a regenerate): the window becomes the newest
   * page of the branch now current. What it held of another branch goes; unsent messages stay,
   * and so does the live text of the reply being read if it is on this branch. `page`: that
   * newest page when it came with the change (a switch answers it), else it is read.
   */
  reload(page?: MessagePage): Promise<boolean> {
    return this.replaceWithNewest(page);
  }

  private async replaceWithNewest(given?: MessagePage): Promise<boolean> {
    this.view.update({ newer: "loading" });
    try {
      const page = given ?? (await this.source({ limit: PAGE_SIZE }));
      this.view.setReachable(true);
      const incoming = page.items.map(fromJson);
      this.host.onStored(incoming);
      const keepLocal = this.keepLocal();
      const shown = new Set(incoming.map((message) => message.id));
      const kept = this.view.messages.filter(
        (message) =>
          message.pending !== undefined || (keepLocal.has(message.id) && shown.has(message.id)),
      );
      this.view.update({
        messages: mergeServerMessages(kept, incoming, keepLocal),
        hasMore: page.hasMore ?? false,
        older: "idle",
        hasNewer: false,
        newer: "idle",
      });
      this.host.onReachedEnd();
      return true;
    } catch (error) {
      this.view.update({ newer: "error" });
      if (!(error instanceof ApiError) || isOutage(error.status)) this.view.setReachable(false);
      return false;
    }
  }

  /**
   * Merges the newest page into the window (after a reply ended or a stream broke); false when
   * it could not be read.
   */
  async readNewest(): Promise<boolean> {
    try {
      const page = await this.source({ limit: PAGE_SIZE });
      this.view.setReachable(true);
      const incoming = page.items.map(fromJson);
      this.host.onStored(incoming);
      // Only a window with nothing stored yet (a new chat) learns from it whether older exist.
      const learnsHasMore = this.view.messages.every((message) => message.sequence === null);
      this.view.update({
        messages: mergeServerMessages(this.view.messages, incoming, this.keepLocal()),
        ...(learnsHasMore ? { hasMore: page.hasMore ?? false } : {}),
      });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return true;
      if (!(error instanceof ApiError) || isOutage(error.status)) this.view.setReachable(false);
      return false;
    }
  }

  private keepLocal(): ReadonlySet<string> {
    const live = this.host.liveReplyId();
    return new Set(live ? [live] : []);
  }
}

import { apiError, postContinue, postRegenerate } from "../api";
import { type ChatMessage, keepBefore, sortMessages } from "../messages";
import type { ModelRef } from "../models";
import { initialProgress } from "../reply-chunks";
import { newId } from "../uuid";
import { describeFailure } from "./failures";
import type { ActiveReply, ReplyReader } from "./reply-reader";
import type { SnapshotStore } from "./snapshot-store";

export interface ReplyRequestsHost {
  /** The view is open (between start and dispose). */
  isStarted(): boolean;
  /** A new version is being written: the current branch changed under the window. */
  onNewVersion(): void;
  onActivity(): void;
  onError(message: string): void;
  onSessionExpired(): void;
}

/**
 * The requests on an existing reply, both answered by a reply stream: regenerate (a new version,
 * a sibling of the old one) and continue (the same version, extended). Each takes the reader's
 * one slot, shows the reply streaming at once, and puts the screen back if the server refuses.
 */
export class ReplyRequests {
  constructor(
    private readonly conversationId: string,
    private readonly view: SnapshotStore,
    private readonly reader: ReplyReader,
    private readonly host: ReplyRequestsHost,
  ) {}

  /**
   * Writes a new version of a reply, by `model` when given (else the conversation's); the old one
   * stays, one switch away. The new reply (its id chosen here) takes the old one's place on
   * screen, with everything after it gone from view.
   */
  async regenerate(replyId: string, model?: ModelRef | null): Promise<void> {
    if (!this.host.isStarted() || this.reader.busy) return;
    const before = this.view.messages;
    const old = before.find((message) => message.id === replyId);
    if (old?.role !== "assistant") return;
    const versionCount = (old.versionCount ?? 1) + 1;
    const reply: ChatMessage = {
      id: newId(),
      role: "assistant",
      content: "",
      status: "streaming",
      sequence: null,
      error: null,
      model: null,
      createdAt: new Date().toISOString(),
      parentId: old.parentId,
      versionIndex: versionCount - 1,
      versionCount,
    };
    const active = this.reader.begin("regenerate", {
      progress: { ...initialProgress(), replyId: reply.id },
    });
    this.view.update({
      messages: sortMessages([...keepBefore(before, replyId), reply]),
      hasNewer: false,
    });
    const response = await this.post(active, before, () =>
      postRegenerate(
        this.conversationId,
        { messageId: replyId, replyId: reply.id, ...(model ? { model } : {}) },
        active.abort.signal,
      ),
    );
    if (!response) return;
    this.host.onNewVersion();
    await this.reader.follow(response, active);
  }

  /** Carries on an interrupted reply from its text, in place. */
  async continueReply(replyId: string): Promise<void> {
    if (!this.host.isStarted() || this.reader.busy) return;
    const before = this.view.messages;
    const reply = before.find((message) => message.id === replyId);
    if (!reply) return;
    const active = this.reader.begin("continue", {
      progress: { ...initialProgress(reply.content), replyId },
    });
    this.view.patchMessage(replyId, (message) => ({
      ...message,
      status: "streaming",
      error: null,
    }));
    const response = await this.post(active, before, () =>
      postContinue(this.conversationId, replyId, active.abort.signal),
    );
    if (response) await this.reader.follow(response, active);
  }

  /**
   * Posts a request answered by a reply stream; on failure puts `before` back on screen and says
   * why. The response to read, or null.
   */
  private async post(
    active: ActiveReply,
    before: ChatMessage[],
    request: () => Promise<Response>,
  ): Promise<Response | null> {
    let response: Response;
    try {
      response = await request();
    } catch (error) {
      if (!this.reader.isCurrent(active)) return null;
      this.reader.release();
      this.view.setMessages(before);
      this.host.onError(describeFailure(error));
      return null;
    }
    if (!this.reader.isCurrent(active)) return null;
    if (!response.ok) {
      this.reader.release();
      this.view.setMessages(before);
      const error = await apiError(response);
      if (error.status === 401) this.host.onSessionExpired();
      this.host.onError(error.message);
      // 409: a reply is being written elsewhere; follow it instead.
      if (error.status === 409) void this.reader.resume();
      return null;
    }
    this.host.onActivity();
    return response;
  }
}

import { ApiError, setConversationModel } from "../api";
import { type ModelRef, sameModel } from "../models";
import { describeFailure } from "./failures";
import type { SnapshotStore } from "./snapshot-store";

export interface ModelChoiceHost {
  /** The server has the conversation, so a pick is stored there; before, the first send is. */
  isStored(): boolean;
  /** The person chose `model` (a pick that held, or a send): new chats start on it. */
  onChosen(model: ModelRef): void;
  onError(message: string): void;
  onSessionExpired(): void;
}

/**
 * Which model the conversation's next turn goes to: the one its header shows. A pick shows at
 * once and is stored with the conversation (PATCH); when the server refuses it, the screen goes
 * back to the model the server has. A chat the server does not have yet keeps the pick here:
 * its first send carries it.
 */
export class ModelChoice {
  // The model the server has for the conversation, as far as this tab knows: what a failed pick
  // puts back.
  private confirmed: { model: ModelRef | null; gone: boolean };
  // Only the latest pick decides what is shown; an earlier one settling late changes nothing.
  private latestPick = 0;

  constructor(
    private readonly conversationId: string,
    private readonly view: SnapshotStore,
    private readonly host: ModelChoiceHost,
  ) {
    const { model, modelGone } = view.getSnapshot();
    this.confirmed = { model, gone: modelGone };
  }

  /** The model shown now. */
  get current(): ModelRef | null {
    return this.view.getSnapshot().model;
  }

  /**
   * What a send or a plain regenerate asks for: the model shown; nothing while it is the
   * conversation's own and gone, so the server answers with what it says about the
   * conversation's model (no longer offered), not about an unknown name.
   */
  get requested(): ModelRef | undefined {
    const { model, modelGone } = this.view.getSnapshot();
    return modelGone ? undefined : (model ?? undefined);
  }

  /** Shows `model` and stores it with the conversation; on refusal shows the stored one again. */
  async pick(model: ModelRef): Promise<void> {
    const pick = ++this.latestPick;
    this.view.update({ model, modelGone: false });
    if (!this.host.isStored()) {
      this.confirmed = { model, gone: false };
      this.host.onChosen(model);
      return;
    }
    await this.store(model, pick);
  }

  /**
   * A send carrying `model` was acknowledged: the server's conversation is on it now. The first
   * send of a new chat may have been written before a later pick, which is stored then.
   */
  sent(model: ModelRef, firstSend: boolean) {
    this.confirmed = { model, gone: false };
    this.host.onChosen(model);
    const shown = this.current;
    if (firstSend && shown && !sameModel(shown, model)) void this.store(shown, this.latestPick);
  }

  private async store(model: ModelRef, pick: number) {
    try {
      await setConversationModel(this.conversationId, model);
    } catch (error) {
      if (pick !== this.latestPick) return;
      this.view.update({ model: this.confirmed.model, modelGone: this.confirmed.gone });
      if (error instanceof ApiError && error.status === 401) this.host.onSessionExpired();
      this.host.onError(`Could not change the model: ${describeFailure(error)}`);
      return;
    }
    this.confirmed = { model, gone: false };
    if (pick === this.latestPick) this.host.onChosen(model);
  }
}

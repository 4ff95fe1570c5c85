import { expect, type Locator, type Page } from "@playwright/test";

/** The chat view: messages, composer and the controls of the reply in progress. */
export class ChatPage {
  readonly messages: Locator;
  readonly composer: Locator;
  readonly messageList: Locator;
  /** The header's button naming the model the next turn goes to. */
  readonly modelPicker: Locator;

  constructor(readonly page: Page) {
    this.messages = page.getByTestId("message");
    this.composer = page.getByTestId("composer");
    this.messageList = page.getByTestId("message-list");
    this.modelPicker = page.getByTestId("model-picker");
  }

  async open(conversationId?: string) {
    await this.page.goto(conversationId ? `/c/${conversationId}` : "/");
    // The composer stays read-only until the page has hydrated: past this, keyboard shortcuts
    // and clicks reach React.
    await expect(this.composer).toBeEditable();
  }

  /** As a person sends: a click in the box, the keys, Enter. */
  async send(text: string) {
    // Keys typed before hydration would be lost (the box is read-only until then).
    await expect(this.composer).toBeEditable();
    await this.composer.click();
    await expect(this.composer).toBeFocused();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press("Enter");
  }

  /**
   * As a person edits a sent message: Edit, the editor takes focus with the text, select all,
   * type, then Ctrl/Cmd+Enter (or a click on Save & send).
   */
  async edit(message: Locator, text: string, { click = false } = {}) {
    await message.getByRole("button", { name: "Edit message" }).click();
    const editor = this.page.getByRole("textbox", { name: "Edit your message" });
    await expect(editor).toBeFocused();
    await this.page.keyboard.press("ControlOrMeta+a");
    await this.page.keyboard.type(text);
    if (click) await this.page.getByRole("button", { name: "Save & send" }).click();
    else await this.page.keyboard.press("ControlOrMeta+Enter");
  }

  /**
   * As a person picks a model from the keyboard: on the header's model button (reached with Tab),
   * Enter opens the list with the cursor in its search field, the query narrows it to one model,
   * Enter picks it, and focus is back on the button.
   */
  async pickModel(query: string) {
    await this.modelPicker.focus();
    await expect(this.modelPicker).toBeFocused();
    await this.page.keyboard.press("Enter");
    const search = this.page.getByTestId("model-search");
    await expect(search).toBeFocused();
    await this.page.keyboard.type(query);
    await expect(this.page.getByTestId("model-option")).toHaveCount(1);
    await this.page.keyboard.press("Enter");
    await expect(search).toHaveCount(0);
    await expect(this.modelPicker).toBeFocused();
  }

  /** The name of the model that wrote `reply`, under it. */
  replyModel(reply: Locator = this.lastReply()): Locator {
    return reply.getByTestId("reply-model");
  }

  /** The id in the URL once the first message made the conversation. */
  async conversationId(): Promise<string> {
    await expect(this.page).toHaveURL(/\/c\/[0-9a-f-]{36}/);
    const match = /\/c\/([0-9a-f-]{36})/.exec(this.page.url());
    if (!match?.[1]) throw new Error(`no conversation id in ${this.page.url()}`);
    return match[1];
  }

  byRole(role: "user" | "assistant"): Locator {
    return this.page.locator(`[data-testid="message"][data-role="${role}"]`);
  }

  /** The text of each of the person's messages, without the controls under it. */
  userTexts(): Locator {
    return this.byRole("user").getByTestId("message-content");
  }

  lastReply(): Locator {
    return this.byRole("assistant").last();
  }

  /** The text of the last reply, without the controls and the model's name under it. */
  lastReplyText(): Locator {
    return this.lastReply().getByTestId("message-content");
  }

  async waitForReply(status = "complete") {
    await expect(this.lastReply()).toHaveAttribute("data-status", status, { timeout: 30_000 });
  }
}

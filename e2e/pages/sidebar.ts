import { expect, type Locator, type Page } from "@playwright/test";

/** The conversation list beside the chat. */
export class Sidebar {
  readonly root: Locator;
  readonly items: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("sidebar");
    this.items = page.getByTestId("conversation-item");
  }

  item(conversationId: string): Locator {
    return this.page.locator(
      `[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`,
    );
  }

  async open(conversationId: string) {
    await this.item(conversationId).click();
    await expect(this.page).toHaveURL(new RegExp(`/c/${conversationId}`));
  }
}

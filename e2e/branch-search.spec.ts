import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";

/** A send through the API, as the app makes it; answers once its reply has finished streaming. */
async function send(
  request: APIRequestContext,
  conversationId: string,
  content: string,
  parentId?: string | null,
) {
  const response = await request.post(`/api/conversations/${conversationId}/messages`, {
    data: { id: randomUUID(), content, ...(parentId === undefined ? {} : { parentId }) },
  });
  expect(response.status()).toBe(200);
  await response.body();
}

test("a search hit on a branch not shown opens that branch, and a reload keeps it", async ({
  page,
  chat,
}) => {
  test.setTimeout(60_000);
  // A conversation whose second message was edited: the searched word is only on the first
  // version (and its reply, which quotes it), which the edit left one switch away.
  const conversationId = randomUUID();
  await send(page.request, conversationId, "Hello there");
  await send(page.request, conversationId, "Tell me about the Zanzibar lighthouse");
  const history = await page.request.get(`/api/conversations/${conversationId}/messages`);
  const { items } = (await history.json()) as { items: { id: string }[] };
  await send(page.request, conversationId, "Tell me about harbours instead", items[1]?.id);

  const edited = ["Hello there", "Tell me about harbours instead"];
  const searched = ["Hello there", "Tell me about the Zanzibar lighthouse"];
  await chat.open(conversationId);
  await expect(chat.userTexts()).toHaveText(edited);

  await page.keyboard.press("ControlOrMeta+k");
  const input = page.getByTestId("search-input");
  await expect(input).toBeFocused();
  await page.keyboard.type("zanzibar");
  const results = page.getByTestId("search-result");
  // The reply quoting it is newer, so listed first; the arrow picks the message itself.
  await expect(results).toHaveCount(2);
  await page.keyboard.press("ArrowDown");
  await expect(results.nth(1)).toHaveAttribute("data-selected", "true");
  await expect(results.nth(1)).toContainText("You");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("search-palette")).toBeHidden();

  await expect(page).toHaveURL(new RegExp(`/c/${conversationId}\\?message=[0-9a-f-]{36}$`));
  const hit = page.locator('li[data-highlighted="true"]');
  await expect(hit).toContainText("Tell me about the Zanzibar lighthouse");
  await expect(hit).toBeInViewport();
  await expect(chat.userTexts()).toHaveText(searched);

  // The branch opened is the current one now: the conversation's own address shows it too.
  await chat.open(conversationId);
  await expect(chat.userTexts()).toHaveText(searched);
  await page.reload();
  await expect(chat.composer).toBeEditable();
  await expect(chat.userTexts()).toHaveText(searched);
});

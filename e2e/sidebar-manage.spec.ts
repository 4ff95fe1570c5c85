import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";

test("rename and delete from the sidebar", async ({ page, chat, sidebar }) => {
  await chat.open();
  await chat.send("A chat to rename");
  await chat.waitForReply();
  const conversationId = await chat.conversationId();
  const item = sidebar.item(conversationId);
  await expect(item).toHaveAttribute("aria-current", "page");

  await item.hover();
  await item.getByTestId("rename-button").click();
  // The field opens focused with the old title selected: typing replaces it.
  const input = page.getByTestId("rename-input");
  await expect(input).toBeFocused();
  await page.keyboard.type("Renamed chat");
  await page.keyboard.press("Enter");
  await expect(item).toContainText("Renamed chat");
  await page.reload();
  await expect(sidebar.item(conversationId)).toContainText("Renamed chat");

  // The confirmation opens on Cancel, keeps Tab inside, and Escape gives the focus back.
  const row = sidebar.item(conversationId);
  const deleteButton = row.getByTestId("delete-button");
  const dialog = page.getByTestId("delete-dialog");
  const cancel = dialog.getByRole("button", { name: "Cancel" });
  const confirm = page.getByTestId("confirm-delete");
  await row.hover();
  await deleteButton.click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAccessibleName("Delete conversation?");
  await expect(dialog).toHaveAccessibleDescription(
    /This deletes Renamed chat and all its messages/,
  );
  await expect(cancel).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(confirm).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(cancel).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(deleteButton).toBeFocused();
  await expect(row).toHaveCount(1);

  // All by keyboard from there: Enter opens it again, Enter on Cancel keeps the conversation,
  // Delete (reached with Tab) deletes it.
  await page.keyboard.press("Enter");
  await expect(cancel).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(deleteButton).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(cancel).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(confirm).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(sidebar.item(conversationId)).toHaveCount(0);
  const gone = await page.request.get(`/api/conversations/${conversationId}`);
  expect(gone.status()).toBe(404);
});

test("two tabs on one conversation agree after a reload", async ({ page, context, chat }) => {
  await chat.open();
  await chat.send("Message from tab one");
  await chat.waitForReply();
  const conversationId = await chat.conversationId();

  const second = new ChatPage(await context.newPage());
  await second.open(conversationId);
  await second.send("Message from tab two");
  await second.waitForReply();

  await page.reload();
  await expect(chat.messages).toHaveCount(4);
  const texts = (page: ChatPage) =>
    page.messages.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-message-id")));
  expect(await texts(chat)).toEqual(await texts(second));
});

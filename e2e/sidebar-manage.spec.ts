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
  const input = page.getByTestId("rename-input");
  await input.fill("Renamed chat");
  await input.press("Enter");
  await expect(item).toContainText("Renamed chat");
  await page.reload();
  await expect(sidebar.item(conversationId)).toContainText("Renamed chat");

  await sidebar.item(conversationId).hover();
  await sidebar.item(conversationId).getByTestId("delete-button").click();
  await page.getByTestId("confirm-delete").click();
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

import { expect, test } from "./fixtures";
import { AuthForm } from "./pages/auth-form";
import { ChatPage } from "./pages/chat";
import { newAccount } from "./support/accounts";

test("sign up, send a message, watch the reply stream, reload: everything is there", async ({
  page,
}) => {
  const account = newAccount();
  await page.goto("/sign-up");
  await new AuthForm(page).submit(account);

  const chat = new ChatPage(page);
  await expect(chat.composer).toBeVisible();
  await chat.send("What makes a conversation durable?");
  await expect(chat.byRole("user")).toHaveText(/What makes a conversation durable\?/);
  // Streaming: the reply shows text before it is complete.
  await expect(chat.lastReply()).toHaveAttribute("data-status", "streaming");
  await expect(chat.lastReply()).toContainText("Offline model");
  await chat.waitForReply();
  const conversationId = await chat.conversationId();
  const replyText = await chat.lastReply().innerText();

  await page.reload();
  await expect(chat.messages).toHaveCount(2);
  await expect(chat.lastReply()).toHaveAttribute("data-status", "complete");
  expect(await chat.lastReply().innerText()).toBe(replyText);
  await expect(page).toHaveURL(new RegExp(`/c/${conversationId}`));
});

import { expect, test } from "./fixtures";
import { AuthForm } from "./pages/auth-form";

test("sign out, sign in: the conversation is listed, and continuing it uses the full history", async ({
  page,
  account,
  chat,
  sidebar,
}) => {
  await chat.open();
  await chat.send("Remember the word marmalade");
  await chat.waitForReply();
  const conversationId = await chat.conversationId();

  await page.getByTestId("user-menu").click();
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/sign-in/);

  await new AuthForm(page).signInFromArrival(account);
  await expect(sidebar.item(conversationId)).toBeVisible();
  await sidebar.open(conversationId);
  await expect(chat.messages).toHaveCount(2);

  await chat.send("What word did I ask you to remember?");
  await expect(chat.messages).toHaveCount(4);
  await chat.waitForReply();
  const reply = chat.lastReply();
  await expect(reply).toContainText("I received 3 messages of context");
  await expect(reply).toContainText("“Remember the word marmalade”");
});

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
  // Every state a reply is rendered in, and its text then, recorded by the page itself: polling
  // from the test could miss a short reply's streaming state on a busy machine.
  await page.evaluate(() => {
    const seen: string[] = [];
    Object.assign(window, { replyStates: seen });
    new MutationObserver(() => {
      const reply = document.querySelector('[data-testid="message"][data-role="assistant"]');
      const state = `${reply?.getAttribute("data-status")}:${reply?.textContent?.length ?? 0}`;
      if (reply && seen.at(-1) !== state) seen.push(state);
    }).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
  await chat.send("What makes a conversation durable?");
  await expect(chat.byRole("user")).toHaveText(/What makes a conversation durable\?/);
  await chat.waitForReply();
  await expect(chat.lastReply()).toContainText("Offline model");
  // Streaming: the reply showed text before it was complete.
  const states = await page.evaluate(
    () => (window as unknown as { replyStates: string[] }).replyStates,
  );
  expect(states.some((state) => /^streaming:[1-9]/.test(state))).toBe(true);
  const conversationId = await chat.conversationId();
  const replyText = await chat.lastReplyText().innerText();

  await page.reload();
  await expect(chat.messages).toHaveCount(2);
  await expect(chat.lastReply()).toHaveAttribute("data-status", "complete");
  expect(await chat.lastReplyText().innerText()).toBe(replyText);
  // Which model wrote it, under the reply (the offline model names no endpoint).
  await expect(chat.lastReply().getByTestId("reply-model")).toHaveText("Written by offline");
  await expect(page).toHaveURL(new RegExp(`/c/${conversationId}`));
});

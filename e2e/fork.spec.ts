import { expect, test } from "./fixtures";

test("branch into a new chat: the conversation up to a reply, as a conversation of its own", async ({
  chat,
  page,
}) => {
  await chat.open();
  await chat.send("Plan a walk by the sea.");
  await chat.waitForReply();
  await chat.send("Make it shorter.");
  await expect(chat.byRole("assistant")).toHaveCount(2);
  await chat.waitForReply();
  const original = await chat.conversationId();

  await chat
    .byRole("assistant")
    .first()
    .getByRole("button", { name: "Branch into new chat" })
    .click();
  await expect(page).not.toHaveURL(new RegExp(`/c/${original}`));
  const copy = await chat.conversationId();
  await expect(chat.messages).toHaveCount(2);
  await expect(chat.byRole("user")).toContainText("Plan a walk by the sea.");

  // The copy goes on by itself; the original keeps its messages.
  await chat.send("Where do we start?");
  await expect(chat.byRole("assistant")).toHaveCount(2);
  await chat.waitForReply();
  await expect(chat.lastReply()).toContainText("I received 3 messages of context");
  await chat.open(original);
  await expect(chat.messages).toHaveCount(4);
  await chat.open(copy);
  await expect(chat.messages).toHaveCount(4);
  await expect(chat.byRole("user").last()).toContainText("Where do we start?");
});

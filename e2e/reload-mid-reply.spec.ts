import { expect, test } from "./fixtures";

test("a reload during a reply resumes the live stream; the stored reply is whole and single", async ({
  page,
  chat,
}) => {
  await chat.open();
  await chat.send("Take your time");
  await expect(chat.lastReply()).toContainText("context.");
  const conversationId = await chat.conversationId();

  await page.reload();
  await chat.waitForReply();
  const shown = await chat.lastReplyText().innerText();
  expect(shown.trim().split(/\s+/)).toHaveLength(40);

  const stored = await (
    await page.request.get(`/api/conversations/${conversationId}/messages`)
  ).json();
  expect(stored.items.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
  expect(stored.items[1].content.trim()).toBe(shown.trim());
  await expect(chat.messages).toHaveCount(2);
});

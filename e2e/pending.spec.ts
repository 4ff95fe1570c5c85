import { expect, test } from "./fixtures";

test("a message sent offline stays pending, then is sent exactly once", async ({
  page,
  context,
  chat,
}) => {
  await chat.open();
  await chat.send("Warm-up message");
  await chat.waitForReply();
  const conversationId = await chat.conversationId();

  await context.setOffline(true);
  await chat.send("Written in a tunnel");
  const pending = page.locator('[data-testid="message"][data-pending="true"]');
  await expect(pending).toHaveCount(1);
  await expect(pending).toContainText("Written in a tunnel");

  await context.setOffline(false);
  await expect(pending).toHaveCount(0, { timeout: 30_000 });
  await chat.waitForReply();

  const stored = await (
    await page.request.get(`/api/conversations/${conversationId}/messages`)
  ).json();
  const tunnel = stored.items.filter(
    (m: { content: string }) => m.content === "Written in a tunnel",
  );
  expect(tunnel).toHaveLength(1);
  expect(stored.items).toHaveLength(4);
});

import { randomUUID } from "node:crypto";
import { addMessage } from "@/db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { openSeededConversation, usePrivateServer } from "./support/private-server";

const TOTAL = 500;

test.describe("a 500-message conversation", () => {
  const privateServer = usePrivateServer();

  test("opens at the bottom and loads older pages on scroll-up, each message once", async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    // Seeded through the repository, as the app itself writes them.
    const { context, page, conversationId } = await openSeededConversation(
      browser,
      privateServer(),
      "Long",
      async (db, conversation) => {
        for (let i = 1; i <= TOTAL; i++) {
          await addMessage(db, {
            id: randomUUID(),
            conversationId: conversation.id,
            userId: conversation.userId,
            role: i % 2 ? "user" : "assistant",
            content: `Message number ${i}`,
          });
        }
      },
    );

    const chat = new ChatPage(page);
    await chat.open(conversationId);
    const newest = page.getByText(`Message number ${TOTAL}`, { exact: true });
    await expect(newest).toBeInViewport();
    expect(await chat.messages.count()).toBeLessThan(TOTAL);

    // Scroll to the top until the first message has loaded.
    const first = page.getByText("Message number 1", { exact: true });
    for (let attempt = 0; attempt < 40 && (await first.count()) === 0; attempt++) {
      await chat.messageList.evaluate((list) => {
        list.scrollTop = 0;
      });
      await page.waitForTimeout(250);
    }
    await expect(first).toHaveCount(1);
    const ids = await chat.messages.evaluateAll((nodes) =>
      nodes.map((node) => node.getAttribute("data-message-id")),
    );
    expect(ids).toHaveLength(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
    const texts = await chat.messages.allInnerTexts();
    expect(texts.map((text) => Number(/Message number (\d+)/.exec(text)?.[1]))).toEqual(
      Array.from({ length: TOTAL }, (_, i) => i + 1),
    );
    await context.close();
  });
});

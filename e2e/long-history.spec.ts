import { randomUUID } from "node:crypto";
import { addMessage, createConversation, getUserByEmail, openDatabase } from "@/db";
import type { AppServer } from "@/test/support/app-server";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { newAccount, registerViaApi, signInViaApi } from "./support/accounts";
import { type PrivateServer, startPrivateServer } from "./support/private-server";

const TOTAL = 500;

test.describe("a 500-message conversation", () => {
  let privateServer: PrivateServer;
  let server: AppServer;
  let databaseUrl: string;

  test.beforeAll(async () => {
    privateServer = await startPrivateServer();
    ({ server, databaseUrl } = privateServer);
  });
  test.afterAll(async () => {
    await privateServer?.stop();
  });

  test("opens at the bottom and loads older pages on scroll-up, each message once", async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const account = newAccount();
    await registerViaApi(page.request, account);
    await signInViaApi(page.request, account);

    // Seeded through the repository, as the app itself writes them.
    const handle = await openDatabase({ url: databaseUrl, driver: "pg" });
    const user = await getUserByEmail(handle.db, { email: account.email });
    const userId = user?.id ?? "";
    const { id: conversationId } = await createConversation(handle.db, { userId, title: "Long" });
    for (let i = 1; i <= TOTAL; i++) {
      await addMessage(handle.db, {
        id: randomUUID(),
        conversationId,
        userId,
        role: i % 2 ? "user" : "assistant",
        content: `Message number ${i}`,
      });
    }
    await handle.close();

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

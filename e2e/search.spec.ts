import { createConversation, getUserByEmail, openDatabase } from "@/db";
import type { AppServer } from "@/test/support/app-server";
import { seedBulkMessages } from "@/test/support/factories";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { newAccount, registerViaApi, signInViaApi } from "./support/accounts";
import { type PrivateServer, startPrivateServer } from "./support/private-server";

const TOTAL = 500;
const TARGET = 250;

test.describe("search, then jump to a message in a 500-message conversation", () => {
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

  test("Ctrl-K finds the message; it opens highlighted with history loading both ways", async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const account = newAccount();
    await registerViaApi(page.request, account);
    await signInViaApi(page.request, account);

    const handle = await openDatabase({ url: databaseUrl, driver: "pg" });
    const user = await getUserByEmail(handle.db, { email: account.email });
    const { id: conversationId } = await createConversation(handle.db, {
      userId: user?.id ?? "",
      title: "Long voyage",
    });
    await seedBulkMessages(handle.db, {
      conversationId,
      count: TOTAL,
      content: (i) =>
        i + 1 === TARGET
          ? `Message number ${i + 1}: the Zanzibar lighthouse keeper`
          : `Message number ${i + 1}`,
    });
    await handle.close();

    const chat = new ChatPage(page);
    await chat.open();
    await page.keyboard.press("Control+k");
    const palette = page.getByTestId("search-palette");
    await expect(palette).toBeVisible();
    const input = page.getByTestId("search-input");
    const results = palette.getByTestId("search-result");
    // A common word: a first page of results, and more on request.
    await input.fill("number ");
    await expect(results).toHaveCount(20);
    await palette.getByTestId("search-more").click();
    await expect(results).toHaveCount(40);
    await expect(results.nth(20)).toHaveAttribute("data-sequence", String(TOTAL - 20));

    await input.fill("");
    await input.pressSequentially("lighthouse zanzi");
    const result = results.first();
    await expect(result).toHaveAttribute("data-sequence", String(TARGET));
    await expect(result.locator("mark")).toHaveText(["Zanzibar", "lighthouse"]);
    await page.keyboard.press("Enter");

    await expect(page).toHaveURL(new RegExp(`/c/${conversationId}\\?m=${TARGET}$`));
    const target = page.locator(`li[data-sequence="${TARGET}"]`);
    await expect(target).toHaveAttribute("data-highlighted", "true");
    await expect(target).toBeInViewport();
    await expect(page.locator('li[data-highlighted="true"]')).toHaveCount(1);
    // Not the whole conversation: a page around the message.
    expect(await chat.messages.count()).toBeLessThan(TOTAL / 2);

    const sequences = async () =>
      (
        await page
          .locator("li[data-sequence]")
          .evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-sequence"))))
      ).filter((n) => n > 0);

    // Scrolling up loads older pages...
    const older = page.locator('li[data-sequence="150"]');
    for (let attempt = 0; attempt < 30 && (await older.count()) === 0; attempt++) {
      await chat.messageList.evaluate((list) => {
        list.scrollTop = 0;
      });
      await page.waitForTimeout(200);
    }
    await expect(older).toHaveCount(1);
    // ...and scrolling down loads newer ones, up to the end of the conversation.
    const newest = page.getByText(`Message number ${TOTAL}`, { exact: true });
    for (let attempt = 0; attempt < 40 && (await newest.count()) === 0; attempt++) {
      await chat.messageList.evaluate((list) => {
        list.scrollTop = list.scrollHeight;
      });
      await page.waitForTimeout(200);
    }
    await expect(newest).toHaveCount(1);
    const loaded = await sequences();
    const first = loaded[0] ?? 0;
    // One contiguous run, each message once, in order.
    expect(loaded).toEqual(Array.from({ length: TOTAL - first + 1 }, (_, i) => first + i));
    await expect(page.getByTestId("load-newer-sentinel")).toHaveCount(0);

    // At the end the composer works as ever.
    await chat.send("Back at the end");
    await chat.waitForReply();
    await expect(chat.byRole("user").last()).toContainText("Back at the end");
    await context.close();
  });
});

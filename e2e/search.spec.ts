import { seedBulkMessages } from "@/test/support/factories";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { newSignedInAccount } from "./support/accounts";
import { openSeededConversation, usePrivateServer } from "./support/private-server";

const TOTAL = 500;
const TARGET = 250;
// A later hit for the same word: listed first, above the target.
const DECOY = 300;

test.describe("search, then jump to a message in a 500-message conversation", () => {
  const privateServer = usePrivateServer();

  test("Ctrl-K, typing and the arrow keys find the message; it opens highlighted with history loading both ways", async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const { context, page, conversationId } = await openSeededConversation(
      browser,
      privateServer(),
      "Long voyage",
      (db, conversation) =>
        seedBulkMessages(db, {
          conversationId: conversation.id,
          count: TOTAL,
          content: (i) =>
            i + 1 === TARGET
              ? `Message number ${i + 1}: the Zanzibar lighthouse keeper`
              : i + 1 === DECOY
                ? `Message number ${i + 1}: another lighthouse`
                : `Message number ${i + 1}`,
        }),
    );

    const chat = new ChatPage(page);
    await chat.open();
    await expect(chat.composer).toBeFocused();
    await page.keyboard.press("Control+k");
    const palette = page.getByTestId("search-palette");
    await expect(palette).toBeVisible();
    const input = page.getByTestId("search-input");
    // Typing goes where the person sees the cursor: straight into the search field.
    await expect(input).toBeFocused();
    const results = palette.getByTestId("search-result");
    // A common word: a first page of results, and more on request, from the keyboard.
    await page.keyboard.type("number ");
    await expect(results).toHaveCount(20);
    await page.keyboard.press("End");
    await expect(palette.getByTestId("search-more")).toHaveAttribute("data-selected", "true");
    await page.keyboard.press("Enter");
    await expect(results).toHaveCount(40);
    await expect(results.nth(20)).toHaveAttribute("data-sequence", String(TOTAL - 20));
    // A click on "More results" loads the next page and leaves the cursor in the field.
    await palette.getByTestId("search-more").click();
    await expect(results).toHaveCount(60);
    await expect(input).toBeFocused();

    // A new search over the old one; the newest hit comes first, the arrow picks the other.
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("lighthouse");
    await expect(input).toHaveValue("lighthouse");
    await expect(results).toHaveCount(2);
    await expect(results.first()).toHaveAttribute("data-sequence", String(DECOY));
    await expect(results.first()).toHaveAttribute("data-selected", "true");
    await page.keyboard.press("ArrowDown");
    const result = results.nth(1);
    await expect(result).toHaveAttribute("data-sequence", String(TARGET));
    await expect(result).toHaveAttribute("data-selected", "true");
    await expect(result.locator("mark")).toHaveText(["lighthouse"]);
    await page.keyboard.press("Enter");
    await expect(palette).toBeHidden();

    await expect(page).toHaveURL(new RegExp(`/c/${conversationId}\\?message=[0-9a-f-]{36}$`));
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

test("the palette opens from a click or the shortcut, keeps the focus inside, and Escape gives it back", async ({
  page,
  chat,
}) => {
  await chat.open();
  await chat.send("Notes about the Pharos lighthouse");
  await chat.waitForReply();
  const palette = page.getByTestId("search-palette");
  const input = page.getByTestId("search-input");

  // A click on "Search chats": the field has the focus, and Tab cannot leave the palette.
  const searchButton = page.getByTestId("sidebar-search");
  await expect(searchButton).toContainText("Ctrl K");
  await searchButton.click();
  await expect(palette).toBeVisible();
  await expect(palette).toHaveAccessibleName("Search chats");
  await expect(input).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(input).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(input).toBeFocused();
  await page.keyboard.type("pharos");
  await expect(palette.getByTestId("search-result").first()).toContainText(/pharos/i);
  await page.keyboard.press("Escape");
  await expect(palette).toBeHidden();
  await expect(searchButton).toBeFocused();

  // From the composer with the shortcut: a fresh field, and Escape puts the cursor back in the
  // composer.
  await chat.composer.click();
  await expect(chat.composer).toBeFocused();
  await page.keyboard.press("Control+k");
  await expect(input).toBeFocused();
  await expect(input).toHaveValue("");
  await page.keyboard.press("Escape");
  await expect(palette).toBeHidden();
  await expect(chat.composer).toBeFocused();
});

test("on a narrow screen, Escape in the palette opened from the drawer closes only the palette", async ({
  page,
  chat,
  sidebar,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await chat.open();
  await page.getByRole("button", { name: "Show sidebar" }).click();
  await expect(sidebar.root).toBeVisible();
  const searchButton = page.getByTestId("sidebar-search");
  await searchButton.click();
  const input = page.getByTestId("search-input");
  await expect(input).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("search-palette")).toBeHidden();
  await expect(searchButton).toBeFocused();
  await expect(sidebar.root).toHaveAttribute("data-state", "open");
  // The next Escape is the drawer's.
  await page.keyboard.press("Escape");
  await expect(sidebar.root).toHaveAttribute("data-state", "closed");
});

test("Apple platforms are shown ⌘K, and Cmd-K opens the palette", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "platform", { get: () => "MacIntel" });
  });
  const page = await context.newPage();
  // The label is decided after hydration; deciding it during would be a mismatch.
  const hydrationErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat/i.test(message.text())) {
      hydrationErrors.push(message.text());
    }
  });
  await newSignedInAccount(page.request);
  const chat = new ChatPage(page);
  await chat.open();
  const searchButton = page.getByTestId("sidebar-search");
  await expect(searchButton).toContainText("⌘K");
  await expect(searchButton).not.toContainText("Ctrl");
  await page.keyboard.press("Meta+k");
  await expect(page.getByTestId("search-input")).toBeFocused();
  expect(hydrationErrors).toEqual([]);
  await context.close();
});

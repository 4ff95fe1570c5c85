import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { Locator, Page } from "@playwright/test";
import { addMessage, createConversation, getUserByEmail, openDatabase } from "@/db";
import type { AppServer } from "@/test/support/app-server";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { Sidebar } from "./pages/sidebar";
import { newAccount, registerViaApi, signInViaApi } from "./support/accounts";
import { type PrivateServer, startPrivateServer } from "./support/private-server";

// The main screens, checked for what they must show and kept as CI artifacts
// (test-results/screenshots) for people to look at. The conversation is seeded through the
// repository, so it holds a reply with Markdown that the offline model would never write.
const folder = "test-results/screenshots";

const QUESTION = "Show me a code block in **Markdown**";
const MARKDOWN_REPLY = [
  "Here is a function:",
  "",
  "```ts",
  "function answer(): number {",
  "  return 42;",
  "}",
  "```",
  "",
  "- it is **typed**",
  "- it returns `42`",
].join("\n");
const FOLLOW_UP = "And a second message, to fill the sidebar";

test.describe("the main screens", () => {
  let privateServer: PrivateServer;
  let server: AppServer;
  let databaseUrl: string;

  test.beforeAll(async () => {
    privateServer = await startPrivateServer({ OFFLINE_MODEL_TOKEN_DELAY_MS: "5" });
    ({ server, databaseUrl } = privateServer);
  });
  test.afterAll(async () => {
    await privateServer?.stop();
  });

  test("chat and sidebar in light, dark and narrow layouts, and sign-in", async ({ browser }) => {
    test.setTimeout(120_000);
    mkdirSync(folder, { recursive: true });
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const account = newAccount();
    await registerViaApi(page.request, account);
    await signInViaApi(page.request, account);
    const { conversationId, otherId } = await seed(databaseUrl, account.email);

    const chat = new ChatPage(page);
    const sidebar = new Sidebar(page);
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 800 });
    await chat.open(conversationId);
    await chat.send(FOLLOW_UP);
    await chat.waitForReply();

    // Both turns, in order: questions as sent, replies finished; the new reply was written from
    // the whole stored history (the seeded turn plus the new question).
    await expect(chat.byRole("user")).toHaveText([QUESTION, FOLLOW_UP]);
    await expect(chat.byRole("assistant")).toHaveCount(2);
    for (const reply of await chat.byRole("assistant").all()) {
      await expect(reply).toHaveAttribute("data-status", "complete");
    }
    await expect(chat.lastReply()).toContainText("I received 3 messages of context");

    // The seeded reply's Markdown is rendered, not shown as source.
    const markdownReply = chat.byRole("assistant").first();
    const code = markdownReply.locator("pre code");
    await expect(code).toContainText("function answer(): number {");
    await expect(code).toContainText("return 42;");
    await expect(markdownReply).not.toContainText("```");
    await expect(markdownReply.locator("li")).toHaveCount(2);
    await expect(markdownReply.locator("strong")).toHaveText("typed");

    // The sidebar lists both conversations, the open one marked as such.
    await expect(sidebar.root).toBeVisible();
    await expect(sidebar.item(conversationId)).toContainText("Code, please");
    await expect(sidebar.item(otherId)).toContainText("Another chat");
    await expect(sidebar.item(conversationId)).toHaveAttribute("aria-current", "page");
    await expect(sidebar.item(otherId)).not.toHaveAttribute("aria-current", "page");

    await page.screenshot({ path: `${folder}/chat-light.png` });
    const light = await backgroundOf(sidebar);
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await backgroundOf(sidebar);
    expect(light.lightness).toBeGreaterThan(0.9);
    expect(dark.lightness).toBeLessThan(0.2);
    await page.screenshot({ path: `${folder}/chat-dark.png` });

    // Narrow: the sidebar is a drawer behind the menu button, the chat takes the whole width.
    await page.setViewportSize({ width: 390, height: 844 });
    const menu = page.getByRole("button", { name: "Show sidebar" });
    await expect(menu).toBeVisible();
    await expect(sidebar.root).toBeHidden();
    await expect(chat.composer).toBeVisible();
    await expectWithinViewport(page, chat.lastReply());
    await page.screenshot({ path: `${folder}/chat-narrow-dark.png` });
    await menu.click();
    await expect(sidebar.root).toBeVisible();
    await expect(sidebar.item(otherId)).toBeVisible();
    await page.screenshot({ path: `${folder}/sidebar-narrow-dark.png` });
    await page.keyboard.press("Escape");
    await expect(sidebar.root).toBeHidden();
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: `${folder}/chat-narrow-light.png` });

    // Signed out: the sign-in form.
    await context.clearCookies();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto("/sign-in");
    await expect(page.getByLabel(/email/i)).toBeVisible();
    await expect(page.getByLabel(/password/i)).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await page.screenshot({ path: `${folder}/sign-in.png` });
    await context.close();
  });
});

/** Two conversations for the account: one with a question and a Markdown reply, one empty. */
async function seed(databaseUrl: string, email: string) {
  const handle = await openDatabase({ url: databaseUrl, driver: "pg" });
  try {
    const user = await getUserByEmail(handle.db, { email });
    const userId = user?.id ?? "";
    const { id: otherId } = await createConversation(handle.db, { userId, title: "Another chat" });
    const { id: conversationId } = await createConversation(handle.db, {
      userId,
      title: "Code, please",
    });
    for (const [role, content] of [
      ["user", QUESTION],
      ["assistant", MARKDOWN_REPLY],
    ] as const) {
      await addMessage(handle.db, { id: randomUUID(), conversationId, userId, role, content });
    }
    return { conversationId, otherId };
  } finally {
    await handle.close();
  }
}

/** The page's background behind the chat, as sRGB, with its lightness from 0 to 1. */
async function backgroundOf(sidebar: Sidebar) {
  const shell = sidebar.root.locator("xpath=..");
  return shell.evaluate((element) => {
    // Computed colours can come back as oklch(); a canvas turns any CSS colour into sRGB bytes.
    const canvas = document.createElement("canvas");
    canvas.width = 1;
    canvas.height = 1;
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no canvas");
    context.fillStyle = getComputedStyle(element).backgroundColor;
    context.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
    return { r, g, b, lightness: (Math.max(r, g, b) + Math.min(r, g, b)) / 2 / 255 };
  });
}

async function expectWithinViewport(page: Page, locator: Locator) {
  const box = await locator.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box, "element has a box").not.toBeNull();
  expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
}

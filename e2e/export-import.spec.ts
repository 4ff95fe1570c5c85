import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { Sidebar } from "./pages/sidebar";
import { newAccount, registerViaApi, signInViaApi } from "./support/accounts";

async function downloadOf(page: Page, click: () => Promise<void>) {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), file, text: await readFile(file, "utf8") };
}

async function importInSettings(page: Page, file: string) {
  await page.getByTestId("user-menu").click();
  await page.getByTestId("settings-link").click();
  await expect(page).toHaveURL(/\/settings$/);
  await page.getByTestId("import-file").setInputFiles(file);
  return page.getByTestId("import-summary");
}

test("export a conversation and the account, import it into another account, once", async ({
  page,
  chat,
  sidebar,
  browser,
}) => {
  // Account A: two conversations with finished replies.
  await chat.open();
  await chat.send("Plan three days in Lisbon");
  await chat.waitForReply();
  const lisbon = await chat.conversationId();
  await chat.open();
  await chat.send("A haiku about rain, please");
  await chat.waitForReply();

  // One conversation as Markdown, from its menu, by keyboard once it is open.
  await chat.open(lisbon);
  await expect(chat.messages).toHaveCount(2);
  const lisbonMessages = await chat.messages.allTextContents();
  await page.getByTestId("conversation-menu").click();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("export-markdown")).toBeFocused();
  const markdown = await downloadOf(page, () => page.keyboard.press("Enter"));
  expect(markdown.name).toMatch(/^plan-three-days-in-lisbon-\d{4}-\d{2}-\d{2}\.md$/);
  expect(markdown.text.startsWith("# Plan three days in Lisbon\n")).toBe(true);
  expect(markdown.text).toMatch(/^## You · .+ UTC\n\nPlan three days in Lisbon$/m);
  expect(markdown.text).toMatch(/^## Assistant · .+ UTC$/m);

  // The whole account from Settings.
  await page.getByTestId("user-menu").click();
  await page.getByTestId("settings-link").click();
  const everything = await downloadOf(page, () => page.getByTestId("export-everything").click());
  expect(everything.name).toMatch(/^chatkeep-export-\d{4}-\d{2}-\d{2}\.json$/);
  expect(JSON.parse(everything.text).conversations).toHaveLength(2);

  // Account B imports the file in Settings.
  const context = await browser.newContext();
  const other = await context.newPage();
  const account = newAccount();
  await registerViaApi(other.request, account);
  await signInViaApi(other.request, account);
  await other.goto("/");
  const summary = await importInSettings(other, everything.file);
  await expect(summary.getByTestId("import-imported")).toHaveText("2 imported");
  await expect(summary.getByTestId("import-skipped")).toHaveText("0 skipped (already here)");
  await expect(summary.getByTestId("import-failed")).toHaveText("0 failed");

  const theirSidebar = new Sidebar(other);
  await expect(theirSidebar.items).toHaveCount(2);
  const imported = theirSidebar.items.filter({ hasText: "Plan three days in Lisbon" });
  await imported.click();
  const theirChat = new ChatPage(other);
  await expect(theirChat.messages).toHaveCount(lisbonMessages.length);
  expect(await theirChat.messages.allTextContents()).toEqual(lisbonMessages);
  expect(await theirChat.conversationId()).not.toBe(lisbon);

  // The same file again: nothing new.
  const again = await importInSettings(other, everything.file);
  await expect(again.getByTestId("import-imported")).toHaveText("0 imported");
  await expect(again.getByTestId("import-skipped")).toHaveText("2 skipped (already here)");
  await expect(theirSidebar.items).toHaveCount(2);
  await expect(sidebar.items).toHaveCount(2);
  await context.close();
});

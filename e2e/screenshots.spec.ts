import { mkdirSync } from "node:fs";
import { expect, test } from "./fixtures";

// The main screens, kept as CI artifacts (test-results/screenshots) for people to look at.
const folder = "test-results/screenshots";

test("main screens: sidebar and chat, light, dark and narrow", async ({ page, chat }) => {
  mkdirSync(folder, { recursive: true });
  await chat.open();
  await chat.send("Show me a code block in **Markdown**");
  await chat.waitForReply();
  await chat.send("And a second message, to fill the sidebar");
  await chat.waitForReply();

  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${folder}/chat-light.png` });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: `${folder}/chat-dark.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${folder}/chat-narrow-dark.png` });
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: `${folder}/chat-narrow-light.png` });
  await page.goto("/sign-in");
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${folder}/sign-in.png` });
  await expect(page.getByLabel(/email/i)).toBeVisible();
});

import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { AuthForm } from "./pages/auth-form";
import { ChatPage } from "./pages/chat";
import { newAccount, registerViaApi, signInViaApi } from "./support/accounts";

/** The keys of this browser's localStorage that belong to the app. */
const storedKeys = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("chatkeep:")));

test("signing out leaves none of the user's unsent text to the next person on the browser", async ({
  page,
}) => {
  const alice = newAccount();
  const bob = newAccount();
  await registerViaApi(page.request, alice);
  await registerViaApi(page.request, bob);
  await signInViaApi(page.request, alice);
  const aliceId = (await (await page.request.get("/api/auth/session")).json()).user.id as string;

  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("Warm-up message");
  await chat.waitForReply();
  const conversationId = await chat.conversationId();

  // The server never hears of the next message: it stays pending in this browser.
  await page.route(`**/api/conversations/${conversationId}/messages`, (route) =>
    route.request().method() === "POST" ? route.abort() : route.fallback(),
  );
  await chat.send("Alice's unsent secret");
  await expect(page.locator('[data-testid="message"][data-pending="true"]')).toHaveCount(1);
  await chat.composer.click();
  await expect(chat.composer).toBeFocused();
  await page.keyboard.type("Alice's half-written draft");
  await expect
    .poll(async () => (await storedKeys(page)).filter((key) => key.includes(aliceId)).length)
    .toBe(2);

  await page.getByTestId("user-menu").click();
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await storedKeys(page)).filter((key) => key.includes(aliceId))).toEqual([]);

  await new AuthForm(page).signInFromArrival(bob);
  await expect(chat.composer).toBeVisible();
  await expect(chat.composer).toHaveValue("");
  await expect(page.getByText("Alice's unsent secret")).toHaveCount(0);
  await page.goto(`/c/${conversationId}`);
  await expect(page.getByText("Alice's unsent secret")).toHaveCount(0);
  await expect(page.getByText("Alice's half-written draft")).toHaveCount(0);
  expect((await storedKeys(page)).filter((key) => key.includes(aliceId))).toEqual([]);
});

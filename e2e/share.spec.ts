import { expect, test } from "./fixtures";
import { newAccount, registerViaApi, signInViaApi } from "./support/accounts";

test("share a conversation, read it signed out as it was, continue it in another account, revoke it", async ({
  browser,
  page,
  chat,
  account,
}) => {
  test.setTimeout(90_000);
  await chat.open();
  await chat.send("Tell me about lighthouses");
  await chat.waitForReply();
  const conversationId = await chat.conversationId();

  // The owner opens the share dialog from the conversation's menu: it opens on "Create link",
  // Tab goes round inside it, and Escape closes it with the focus back on the menu button.
  const menuButton = page.getByTestId("conversation-menu");
  const shareItem = page.getByTestId("share-conversation");
  const dialog = page.getByTestId("share-dialog");
  const create = page.getByTestId("create-share-link");
  await menuButton.click();
  await page.keyboard.press("ArrowDown");
  await expect(shareItem).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAccessibleName("Share conversation");
  await expect(dialog).toHaveAccessibleDescription(/^Anyone with the link can read/);
  await expect(create).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("link", { name: "Manage links" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(create).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(menuButton).toBeFocused();

  // Then the link, all by keyboard: the new link arrives focused and selected, ready to copy.
  await page.keyboard.press("Enter");
  await expect(shareItem).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(create).toBeFocused();
  await page.keyboard.press("Enter");
  const shareLink = page.getByTestId("share-link");
  await expect(shareLink).toBeFocused();
  const link = await shareLink.inputValue();
  expect(link).toMatch(/^http:\/\/[^/]+\/s\/[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "Done" }).click();
  const baseURL = new URL(link).origin;

  // A fresh browser without a session reads it: the messages, no composer, no owner.
  const anonymous = await browser.newContext({ baseURL });
  const reader = await anonymous.newPage();
  await reader.goto(link);
  const shared = reader.getByTestId("message");
  await expect(shared).toHaveCount(2);
  await expect(shared.first()).toHaveText("Tell me about lighthouses");
  await expect(reader.getByTestId("composer")).toHaveCount(0);
  await expect(reader.getByText(account.email)).toHaveCount(0);
  await expect(reader.getByTestId("sign-in-to-continue")).toBeVisible();

  // What the owner says afterwards is not part of the link.
  await chat.send("A later, private message");
  await chat.waitForReply();
  await reader.reload();
  await expect(reader.getByTestId("message")).toHaveCount(2);
  await expect(reader.getByText("A later, private message")).toHaveCount(0);

  // Another person, signed in, continues it in their own account.
  const visitorContext = await browser.newContext({ baseURL });
  const visitor = await visitorContext.newPage();
  const visitorAccount = newAccount();
  await registerViaApi(visitor.request, visitorAccount);
  await signInViaApi(visitor.request, visitorAccount);
  await visitor.goto(link);
  await visitor.getByTestId("continue-in-account").click();
  await expect(visitor).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
  expect(visitor.url()).not.toContain(conversationId);
  await expect(visitor.getByTestId("message")).toHaveCount(2);
  await expect(visitor.getByTestId("message").first()).toContainText("Tell me about lighthouses");
  await expect(visitor.getByTestId("composer")).toBeVisible();

  // The owner revokes it in Settings: the link is gone for everyone.
  await page.getByTestId("user-menu").click();
  await page.getByTestId("settings-link").click();
  await expect(page).toHaveURL(/\/settings$/);
  const row = page.getByTestId("share-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("share-row-link")).toHaveText(link);
  await row.getByTestId("revoke-share").click();
  await expect(row).toHaveCount(0);
  await reader.reload();
  await expect(reader.getByTestId("not-found")).toBeVisible();
  await expect(reader.getByTestId("message")).toHaveCount(0);

  // The copy is the visitor's own and outlives the link.
  await visitor.reload();
  await expect(visitor.getByTestId("message")).toHaveCount(2);

  await anonymous.close();
  await visitorContext.close();
});

test("a signed-out reader signs in from a share link and comes back to it, the token in no other address", async ({
  browser,
  page,
  chat,
}) => {
  await chat.open();
  await chat.send("Tell me about tides");
  await chat.waitForReply();
  const conversationId = await chat.conversationId();
  const created = await page.request.post(`/api/conversations/${conversationId}/shares`, {
    data: {},
  });
  const { path } = await created.json();
  const token = path.replace("/s/", "");
  const baseURL = new URL(page.url()).origin;

  const readerContext = await browser.newContext({ baseURL });
  const readerAccount = newAccount();
  await registerViaApi(readerContext.request, readerAccount);
  const reader = await readerContext.newPage();
  const addresses: string[] = [];
  reader.on("request", (request) => addresses.push(request.url()));
  await reader.goto(path);

  await reader.getByTestId("sign-in-to-continue").click();
  await expect(reader).toHaveURL(`${baseURL}/sign-in`);
  await reader.getByLabel(/email/i).click();
  await reader.keyboard.type(readerAccount.email);
  await reader.getByLabel(/^password/i).click();
  await reader.keyboard.type(readerAccount.password);
  await reader.keyboard.press("Enter");
  await expect(reader).toHaveURL(`${baseURL}${path}`);
  await expect(reader.getByTestId("continue-in-account")).toBeVisible();

  // Every request the browser made: the token only ever in the link's own address.
  const withToken = addresses.filter((url) => url.includes(token));
  expect(withToken.length).toBeGreaterThan(0);
  for (const url of withToken) expect(new URL(url).pathname).toBe(path);
  await readerContext.close();

  // Without JavaScript (as before hydration) the button posts the page's form itself, which the
  // browser sends with the page's origin: it reaches the sign-in page, not a cross-site refusal.
  const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(path);
  await plain.getByTestId("sign-in-to-continue").click();
  await expect(plain).toHaveURL(`${baseURL}/sign-in`);
  await expect(plain.getByLabel(/email/i)).toBeVisible();
  await noScript.close();
});

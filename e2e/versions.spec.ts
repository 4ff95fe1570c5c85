import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { signInViaApi } from "./support/accounts";

// Versions of a message: an edit or a regenerate adds one, the switcher ‹ k / n › shows another,
// and the server keeps which branch is current for every tab and device.

const versions = (message: Locator) => message.getByRole("group", { name: "Versions" });

async function expectVersion(message: Locator, k: number, n: number) {
  await expect(versions(message).getByText(`Version ${k} of ${n}`)).toBeAttached();
  await expect(versions(message)).toContainText(`${k} / ${n}`);
}

async function sendAndWait(chat: ChatPage, text: string) {
  const replies = await chat.byRole("assistant").count();
  await chat.send(text);
  await expect(chat.byRole("assistant")).toHaveCount(replies + 1);
  await chat.waitForReply();
}

async function expectOldBranch(page: Page) {
  const chat = new ChatPage(page);
  await expect(chat.messages).toHaveCount(4);
  await expect(chat.byRole("user").first()).toContainText("Where does the river start?");
  await expect(chat.byRole("user").nth(1)).toContainText("And where does it end?");
  await expect(chat.lastReply()).toHaveAttribute("data-status", "complete");
  await expectVersion(chat.byRole("user").first(), 1, 2);
}

test("edit a message: a new reply; switch back to the old version and its later messages; reload and a second browser show the same branch", async ({
  chat,
  page,
  browser,
  account,
}) => {
  await chat.open();
  await sendAndWait(chat, "Where does the river start?");
  await sendAndWait(chat, "And where does it end?");
  const conversationId = await chat.conversationId();
  const first = chat.byRole("user").first();
  // Nothing has versions yet.
  await expect(page.getByRole("group", { name: "Versions" })).toHaveCount(0);

  // Escape closes the editor without sending, and focus goes back to Edit.
  const edit = first.getByRole("button", { name: "Edit message" });
  await edit.click();
  const editor = page.getByRole("textbox", { name: "Edit your message" });
  await expect(editor).toBeFocused();
  await expect(editor).toHaveValue("Where does the river start?");
  await page.keyboard.press("Escape");
  await expect(editor).toHaveCount(0);
  await expect(edit).toBeFocused();

  // Enter opens it again from the keyboard; the text is replaced and sent with Ctrl+Enter.
  await page.keyboard.press("Enter");
  await expect(editor).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Where does the sea begin?");
  await page.keyboard.press("ControlOrMeta+Enter");

  // The new version and its reply; the old one's later messages are gone from view.
  await expect(chat.messages).toHaveCount(2);
  await chat.waitForReply();
  await expect(chat.byRole("user").first()).toContainText("Where does the sea begin?");
  // The model saw only the new branch.
  await expect(chat.lastReply()).toContainText("I received 1 messages of context");
  await expect(chat.lastReply()).not.toContainText("river");
  await expectVersion(chat.byRole("user").first(), 2, 2);

  // Back to version 1: its reply and the later turn show again; focus stays on the switcher.
  await versions(chat.byRole("user").first())
    .getByRole("button", { name: "Previous version" })
    .click();
  await expectOldBranch(page);
  await expect(
    versions(chat.byRole("user").first()).getByRole("button", { name: "Previous version" }),
  ).toBeDisabled();
  await expect(
    versions(chat.byRole("user").first()).getByRole("button", { name: "Next version" }),
  ).toBeFocused();

  // The branch is kept on the server: a reload, and another browser of the same person.
  await page.reload();
  await expectOldBranch(page);
  const other = await browser.newContext();
  try {
    const otherPage = await other.newPage();
    await signInViaApi(otherPage.request, account);
    await new ChatPage(otherPage).open(conversationId);
    await expectOldBranch(otherPage);
  } finally {
    await other.close();
  }
});

test("regenerate keeps the old answer: version 1 of 2 shows it", async ({ chat }) => {
  await chat.open();
  await sendAndWait(chat, "Name a colour.");
  const oldId = await chat.lastReply().getAttribute("data-message-id");
  const oldText = await chat.lastReply().innerText();

  await chat.lastReply().getByRole("button", { name: "Regenerate reply" }).click();
  await expect(chat.lastReply()).not.toHaveAttribute("data-message-id", oldId ?? "");
  await expect(chat.byRole("assistant")).toHaveCount(1);
  await chat.waitForReply();
  await expectVersion(chat.lastReply(), 2, 2);
  const newId = await chat.lastReply().getAttribute("data-message-id");

  await versions(chat.lastReply()).getByRole("button", { name: "Previous version" }).click();
  await expect(chat.lastReply()).toHaveAttribute("data-message-id", oldId ?? "");
  await expectVersion(chat.lastReply(), 1, 2);
  expect(await chat.lastReply().innerText()).toContain(oldText.split("\n")[0] ?? "");
  await expect(
    versions(chat.lastReply()).getByRole("button", { name: "Next version" }),
  ).toBeFocused();

  // And forward again from the keyboard.
  await chat.page.keyboard.press("Enter");
  await expect(chat.lastReply()).toHaveAttribute("data-message-id", newId ?? "");
  await expectVersion(chat.lastReply(), 2, 2);
});

test("an edit the server cannot be reached for stays pending where it was made, survives a reload, and is sent once with the same id", async ({
  chat,
  page,
}) => {
  await chat.open();
  await sendAndWait(chat, "Written on land");
  await sendAndWait(chat, "A second turn");
  const conversationId = await chat.conversationId();

  // Sends fail as if the network dropped; everything else still loads.
  const sent: string[] = [];
  const cutOff = /\/api\/conversations\/[^/]+\/messages$/;
  await page.route(cutOff, (route) => {
    if (route.request().method() !== "POST") return route.continue();
    sent.push(route.request().postDataJSON().id);
    return route.abort("internetdisconnected");
  });
  await chat.edit(chat.byRole("user").first(), "Written at sea");
  const pending = page.locator('[data-testid="message"][data-pending="true"]');
  await expect(pending).toContainText("Written at sea");
  // The edit replaced what followed the old version on screen, and waits to be sent.
  await expect(chat.messages).toHaveCount(1);
  await expect(chat.composer).toBeFocused();
  await expect(pending.getByTestId("retry")).toBeVisible();

  // A reload brings it back from the browser's storage, still unsent, in its place.
  await page.reload();
  await expect(pending).toContainText("Written at sea");
  await expect(pending.getByTestId("retry")).toBeVisible();
  await expect(chat.messages).toHaveCount(1);
  await expectVersion(pending, 2, 2);

  await page.unroute(cutOff);
  await pending.getByTestId("retry").click();
  await expect(pending).toHaveCount(0, { timeout: 30_000 });
  await expect(chat.messages).toHaveCount(2);
  await chat.waitForReply();
  await expect(chat.byRole("user").first()).toContainText("Written at sea");
  await expectVersion(chat.byRole("user").first(), 2, 2);

  expect(sent.length).toBeGreaterThanOrEqual(2);
  expect(new Set(sent).size).toBe(1);
  const stored = await (
    await page.request.get(`/api/conversations/${conversationId}/messages`)
  ).json();
  expect(stored.items.map((m: { content: string }) => m.content)).toEqual([
    "Written at sea",
    expect.stringContaining("Written at sea"),
  ]);
  expect(stored.items[0].versionCount).toBe(2);
});

import type { Locator } from "@playwright/test";
import { setConversationModel } from "@/db";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { openSignedInPage } from "./support/accounts";
import { openSeededConversation, usePrivateServer } from "./support/private-server";

// Choosing the model: the header's picker, "Regenerate with…", and a conversation whose model
// the deployment no longer lists. The replies come from a fake OpenAI-compatible server that
// lists two models and records which one each request asked for.

const versions = (message: Locator) => message.getByRole("group", { name: "Versions" });

test.describe("choosing the model", () => {
  let fake: FakeOpenAI | undefined;
  const fakeServer = () => {
    if (!fake) throw new Error("the fake model server has not started");
    return fake;
  };
  test.beforeAll(async () => {
    fake = await startFakeOpenAI({ models: ["model-a", "model-b"] });
  });
  test.afterAll(async () => {
    await fake?.close();
  });
  // Read once the fake server above has its address.
  const privateServer = usePrivateServer(() => ({
    AI_ENDPOINTS: JSON.stringify([{ id: "fake", name: "Fake", baseURL: fakeServer().baseURL }]),
    AI_DEFAULT_MODEL: "fake/model-a",
  }));

  test("pick model B from the keyboard and send; regenerate with A: two versions, each labelled; a reload and a new chat stay on B", async ({
    browser,
  }) => {
    const { context, page } = await openSignedInPage(browser, privateServer().server.url);
    const chat = new ChatPage(page);
    await chat.open();
    await expect(chat.modelPicker).toContainText("model-a");

    // Space opens the list too, grouped under the endpoint's name; Escape closes it without a
    // change, and focus is back on the button.
    await chat.modelPicker.focus();
    await page.keyboard.press("Space");
    const search = page.getByTestId("model-search");
    await expect(search).toBeFocused();
    const list = page.getByTestId("model-picker-list");
    await expect(list.getByText("Fake", { exact: true })).toBeVisible();
    await expect(list.getByTestId("model-option")).toContainText(["model-a", "model-b"]);
    // Kept with the main screens' pictures, for people to look at.
    await page.screenshot({ path: "test-results/screenshots/model-picker.png" });
    // The list opens on the current model; the arrows move from there.
    const option = (name: string) => list.getByRole("option", { name });
    await expect(option("model-a")).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("ArrowDown");
    await expect(option("model-b")).toHaveAttribute("aria-selected", "true");
    await expect(search).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(search).toHaveCount(0);
    await expect(chat.modelPicker).toBeFocused();
    await expect(chat.modelPicker).toContainText("model-a");

    await chat.pickModel("model-b");
    await expect(chat.modelPicker).toContainText("model-b");
    await chat.send("Which model answers this?");
    await chat.waitForReply();
    expect(fakeServer().requestedModels().at(-1)).toBe("model-b");
    await expect(chat.replyModel()).toContainText("model-b");

    // "Regenerate with…" sits beside Regenerate; Enter opens it on its first model.
    await chat.lastReply().getByTestId("regenerate").focus();
    await page.keyboard.press("Tab");
    await expect(chat.lastReply().getByTestId("regenerate-with")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("menuitem", { name: "model-a" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(versions(chat.lastReply())).toContainText("2 / 2");
    await chat.waitForReply();
    expect(fakeServer().requestedModels().at(-1)).toBe("model-a");
    await expect(chat.replyModel()).toContainText("model-a");
    // The conversation itself stays on B.
    await expect(chat.modelPicker).toContainText("model-b");

    // ‹ shows the first version, by B.
    await versions(chat.lastReply()).getByRole("button", { name: "Previous version" }).click();
    await expect(versions(chat.lastReply())).toContainText("1 / 2");
    await expect(chat.replyModel()).toContainText("model-b");

    await page.reload();
    await expect(chat.composer).toBeEditable();
    await expect(chat.modelPicker).toContainText("model-b");
    await expect(chat.replyModel()).toContainText("model-b");

    // A new chat starts on the last choice, in this page and after a fresh load.
    await page.getByRole("link", { name: "New chat" }).first().click();
    await expect(page).toHaveURL(/\/$/);
    await expect(chat.messages).toHaveCount(0);
    await expect(chat.modelPicker).toContainText("model-b");
    await chat.open();
    await expect(chat.modelPicker).toContainText("model-b");
    await context.close();
  });

  test("a conversation whose model is gone says so and refuses to send; 'Use model-a' goes on with the default", async ({
    browser,
  }) => {
    // Stored as the app stores a pick: a model the endpoint no longer lists.
    const { context, page, conversationId } = await openSeededConversation(
      browser,
      privateServer(),
      "On a retired model",
      (db, conversation) =>
        setConversationModel(db, {
          conversationId: conversation.id,
          userId: conversation.userId,
          model: { endpointId: "fake", modelId: "model-retired" },
        }),
    );
    const chat = new ChatPage(page);
    await chat.open(conversationId);
    const notice = page.getByTestId("model-gone");
    await expect(notice).toContainText("model-retired is no longer available");
    await expect(chat.modelPicker).toContainText("model-retired");

    // The server refuses the turn and says why, as it does any refused message.
    const asked = fakeServer().requestedModels().length;
    await chat.send("Is anyone there?");
    const refused = chat.byRole("user").last();
    await expect(refused).toHaveAttribute("data-status", "rejected");
    await expect(refused).toContainText("no longer offered");
    await refused.getByTestId("discard").click();

    // Typing goes on in the composer once the default is chosen.
    await notice.getByRole("button", { name: "Use model-a" }).click();
    await expect(notice).toHaveCount(0);
    await expect(chat.composer).toBeFocused();
    await expect(chat.modelPicker).toContainText("model-a");
    await chat.send("And now?");
    await chat.waitForReply();
    expect(fakeServer().requestedModels().slice(asked)).toEqual(["model-a"]);
    await expect(chat.replyModel()).toContainText("model-a");

    await page.reload();
    await expect(chat.composer).toBeEditable();
    await expect(chat.modelPicker).toContainText("model-a");
    await expect(notice).toHaveCount(0);
    await context.close();
  });
});

import type { Browser } from "@playwright/test";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { openSignedInPage } from "./support/accounts";

// Replies on a branch other than the first one, on a server of this spec's own whose replies
// take a few seconds: switching away while one streams, and a crash in the middle of one.

const LEASE_MS = 1500;
const env = {
  OFFLINE_MODEL_TOKEN_DELAY_MS: "60",
  OFFLINE_MODEL_REPLY_WORDS: "60",
  REPLY_LEASE_MS: String(LEASE_MS),
};

let server: AppServer;
test.beforeEach(async () => {
  server = await startAppServer({ env });
});
test.afterEach(async () => {
  await server.kill();
});

async function signedInChat(browser: Browser) {
  const { context, page } = await openSignedInPage(browser, server.url);
  const chat = new ChatPage(page);
  await chat.open();
  return { context, page, chat };
}

/** Sends a first message, waits for its reply, then edits it: the edit's reply starts. */
async function editFirstMessage(chat: ChatPage, text: string) {
  await chat.send("The first version");
  await chat.waitForReply();
  await chat.edit(chat.byRole("user").first(), text, { click: true });
  await expect(chat.lastReply()).toContainText("Your latest message");
  await expect(chat.lastReply()).toHaveAttribute("data-status", "streaming");
}

test("a reply streaming on one branch goes on while another is shown, and shows when it is again", async ({
  browser,
}) => {
  const { context, page, chat } = await signedInChat(browser);
  try {
    await editFirstMessage(chat, "The second version");
    const versions = chat.byRole("user").first().getByRole("group", { name: "Versions" });
    await versions.getByRole("button", { name: "Previous version" }).click();
    await expect(chat.byRole("user").first()).toContainText("The first version");
    await expect(chat.lastReply()).toHaveAttribute("data-status", "complete");

    await versions.getByRole("button", { name: "Next version" }).click();
    await expect(chat.byRole("user").first()).toContainText("The second version");
    await chat.waitForReply();
    await expect(chat.lastReply()).toContainText("“The second version”");
    // Stored whole: a reload shows the same branch with the complete reply.
    await page.reload();
    await expect(chat.byRole("user").first()).toContainText("The second version");
    await expect(chat.lastReply()).toHaveAttribute("data-status", "complete");
    expect((await chat.lastReplyText().innerText()).split(/\s+/).length).toBeGreaterThanOrEqual(60);
  } finally {
    await context.close();
  }
});

test("a server killed during a reply on an edited branch: the reply is interrupted there, and Continue completes it", async ({
  browser,
}) => {
  const { context, page, chat } = await signedInChat(browser);
  try {
    await editFirstMessage(chat, "Keep this branch");
    const conversationId = await chat.conversationId();

    await server.kill("SIGKILL");
    server = await startAppServer({ env, port: server.port, dataDir: server.env.DATA_DIR });
    await page.waitForTimeout(LEASE_MS + 500);

    await chat.open(conversationId);
    await expect(chat.byRole("user").first()).toContainText("Keep this branch");
    await expect(
      chat.byRole("user").first().getByRole("group", { name: "Versions" }),
    ).toContainText("2 / 2");
    await expect(chat.lastReply()).toHaveAttribute("data-status", "interrupted");
    await chat.lastReply().getByTestId("continue").click();
    await chat.waitForReply();
    await expect(chat.messages).toHaveCount(2);
    await expect(chat.lastReply()).toContainText("“Keep this branch”");
  } finally {
    await context.close();
  }
});

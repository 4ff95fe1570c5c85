import { type AppServer, startAppServer } from "@/test/support/app-server";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { newAccount, registerViaApi, signInViaApi } from "./support/accounts";

const LEASE_MS = 1500;

test("a server killed mid-reply: the reply shows as interrupted with its text, and Continue completes it", async ({
  browser,
}) => {
  const env = {
    OFFLINE_MODEL_TOKEN_DELAY_MS: "60",
    OFFLINE_MODEL_REPLY_WORDS: "60",
    REPLY_LEASE_MS: String(LEASE_MS),
  };
  let server: AppServer = await startAppServer({ env });
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    const account = newAccount();
    await registerViaApi(page.request, account);
    await signInViaApi(page.request, account);
    const chat = new ChatPage(page);
    await chat.open();
    await chat.send("Do not lose this");
    await expect(chat.lastReply()).toContainText("Your latest message");
    const conversationId = await chat.conversationId();

    await server.kill("SIGKILL");
    server = await startAppServer({ env, port: server.port, dataDir: server.env.DATA_DIR });
    await page.waitForTimeout(LEASE_MS + 500);

    await chat.open(conversationId);
    await expect(chat.byRole("user")).toContainText("Do not lose this");
    await expect(chat.lastReply()).toHaveAttribute("data-status", "interrupted");
    await expect(page.getByTestId("interrupted-badge")).toBeVisible();
    const partial = (await chat.lastReplyText().innerText()).trim();
    expect(partial).toContain("Offline model");

    await page.getByTestId("continue").click();
    await chat.waitForReply();
    const whole = await chat.lastReplyText().innerText();
    expect(whole.trim().split(/\s+/).length).toBe(60);
    await expect(chat.messages).toHaveCount(2);
  } finally {
    await context.close();
    await server.kill();
  }
});

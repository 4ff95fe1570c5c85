import { openDatabase } from "@/db";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import {
  createScratchDatabase,
  type StoppablePostgres,
  startStoppablePostgres,
} from "@/test/support/postgres";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { newAccount, registerViaApi, signInViaApi } from "./support/accounts";

// The suite's own server runs on the embedded PGlite, which cannot be stopped from outside:
// this spec starts a server on a private Postgres that it can take down and bring back.
test.describe("the database goes down while chatting", () => {
  let postgres: StoppablePostgres;
  let server: AppServer;

  test.beforeAll(async () => {
    postgres = await startStoppablePostgres();
    const url = await createScratchDatabase(postgres.url, "e2e");
    const handle = await openDatabase({ url, driver: "pg" });
    await handle.migrate();
    await handle.close();
    server = await startAppServer({
      env: {
        DATABASE_URL: url,
        OFFLINE_MODEL_TOKEN_DELAY_MS: "20",
        OFFLINE_MODEL_REPLY_WORDS: "20",
      },
    });
  });
  test.afterAll(async () => {
    await server?.kill();
    await postgres?.stop();
  });

  test("a message sent meanwhile stays pending, the page says the server is unreachable, and it is delivered once when the database is back", async ({
    browser,
  }) => {
    const context = await browser.newContext({ baseURL: server.url });
    try {
      const page = await context.newPage();
      const account = newAccount();
      await registerViaApi(page.request, account);
      await signInViaApi(page.request, account);
      const chat = new ChatPage(page);
      await chat.open();
      await chat.send("Before the outage");
      await chat.waitForReply();
      const conversationId = await chat.conversationId();
      const status = page.getByTestId("connection-status");
      await expect(status).toBeEmpty();

      await postgres.halt();
      await chat.send("Written during the outage");
      const pending = page.locator('[data-testid="message"][data-pending="true"]');
      await expect(pending).toHaveCount(1);
      await expect(pending).toContainText("Written during the outage");
      await expect(status).toContainText("The server is unreachable");
      // Still pending after a failed attempt: the browser keeps it and will try again.
      await expect(pending).toContainText("retrying automatically");

      await postgres.restart();
      // No reload: the same page sends it again (same id) once the server answers.
      await expect(pending).toHaveCount(0, { timeout: 30_000 });
      await chat.waitForReply();
      await expect(chat.messages).toHaveCount(4);
      await expect(status).toBeEmpty();

      const stored = await (
        await page.request.get(`/api/conversations/${conversationId}/messages`)
      ).json();
      const contents = stored.items.map((m: { content: string }) => m.content);
      expect(contents.filter((c: string) => c === "Written during the outage")).toHaveLength(1);
      expect(stored.items).toHaveLength(4);
    } finally {
      await context.close();
    }
  });
});

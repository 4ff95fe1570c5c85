import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat";
import { Sidebar } from "./pages/sidebar";
import { newAccount, registerViaApi, signInViaApi } from "./support/accounts";

test("two people never see each other's conversations", async ({ browser }) => {
  const people = await Promise.all(
    [newAccount(), newAccount()].map(async (account) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await registerViaApi(page.request, account);
      await signInViaApi(page.request, account);
      return { context, page, chat: new ChatPage(page), sidebar: new Sidebar(page) };
    }),
  );
  const [alice, bob] = people as [(typeof people)[0], (typeof people)[0]];

  await alice.chat.open();
  await alice.chat.send("Alice's secret plan");
  await alice.chat.waitForReply();
  const aliceConversation = await alice.chat.conversationId();

  await bob.chat.open();
  await bob.chat.send("Bob's own thoughts");
  await bob.chat.waitForReply();
  await expect(bob.sidebar.items).toHaveCount(1);
  await expect(bob.sidebar.item(aliceConversation)).toHaveCount(0);
  await expect(bob.sidebar.root).not.toContainText("Alice's secret plan");

  await bob.page.goto(`/c/${aliceConversation}`);
  await expect(bob.page.getByTestId("not-found")).toBeVisible();
  await expect(bob.page.getByText("Alice's secret plan")).toHaveCount(0);

  for (const person of people) await person.context.close();
});

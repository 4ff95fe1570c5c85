import { test as base } from "@playwright/test";
import { ChatPage } from "./pages/chat";
import { Sidebar } from "./pages/sidebar";
import { type Account, newAccount, registerViaApi, signInViaApi } from "./support/accounts";

interface Fixtures {
  /** A new person, registered and signed in for this test's page. */
  account: Account;
  chat: ChatPage;
  sidebar: Sidebar;
}

export const test = base.extend<Fixtures>({
  account: async ({ page }, use) => {
    const account = newAccount();
    await registerViaApi(page.request, account);
    await signInViaApi(page.request, account);
    await use(account);
  },
  chat: async ({ page, account: _signedIn }, use) => {
    await use(new ChatPage(page));
  },
  sidebar: async ({ page, account: _signedIn }, use) => {
    await use(new Sidebar(page));
  },
});

export { expect } from "@playwright/test";

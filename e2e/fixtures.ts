import { type Browser, test as base } from "@playwright/test";
import { ChatPage } from "./pages/chat";
import { Sidebar } from "./pages/sidebar";
import { type Account, newSignedInAccount } from "./support/accounts";
import { watchContentSecurityPolicy } from "./support/content-security-policy";

interface Fixtures {
  /** A new person, registered and signed in for this test's page. */
  account: Account;
  chat: ChatPage;
  sidebar: Sidebar;
  /** Fails the test on any Content-Security-Policy violation in any of its pages. */
  contentSecurityPolicy: undefined;
}

// Violations seen in the worker's browser since the current test started.
const violations: string[] = [];

export const test = base.extend<Fixtures, { browser: Browser }>({
  // Every context, the default one and those a spec opens itself, is watched.
  browser: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const context = await newContext(options);
        await watchContentSecurityPolicy(context, (violation) => violations.push(violation));
        return context;
      };
      await use(browser);
    },
    { scope: "worker" },
  ],
  contentSecurityPolicy: [
    async ({ browser: _watched }, use) => {
      violations.length = 0;
      await use(undefined);
      if (violations.length) {
        throw new Error(`Content-Security-Policy violations:\n${violations.join("\n")}`);
      }
    },
    { auto: true },
  ],
  account: async ({ page }, use) => {
    await use(await newSignedInAccount(page.request));
  },
  chat: async ({ page, account: _signedIn }, use) => {
    await use(new ChatPage(page));
  },
  sidebar: async ({ page, account: _signedIn }, use) => {
    await use(new Sidebar(page));
  },
});

export { expect } from "@playwright/test";

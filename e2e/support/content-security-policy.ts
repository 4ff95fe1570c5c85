import type { BrowserContext } from "@playwright/test";

/**
 * Reports every Content-Security-Policy violation in a browser context to `report`: Chromium's
 * own console errors about the policy, and the `securitypolicyviolation` events pages fire
 * (turned into console errors by a script the browser runs before the page's, outside the
 * page's policy).
 */
export async function watchContentSecurityPolicy(
  context: BrowserContext,
  report: (violation: string) => void,
): Promise<void> {
  context.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) {
      report(`${message.location().url}: ${message.text()}`);
    }
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`,
      );
    });
  });
}

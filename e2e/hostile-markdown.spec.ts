import type { Page, Request } from "@playwright/test";
import { expect, test } from "./fixtures";

// The offline model quotes the user's message in its reply, so a hostile message becomes a
// hostile model reply: rendered live as it streams, and again by the server after a reload.
const HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3))";

/** Dialogs and requests the page makes from now on. */
function watch(page: Page) {
  const dialogs: string[] = [];
  const requests: Request[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.on("request", (request) => requests.push(request));
  // The server renders replies under a smaller budget than the browser; hydration must still match.
  const hydrationErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat/i.test(message.text())) {
      hydrationErrors.push(message.text());
    }
  });
  return { dialogs, requests, hydrationErrors };
}

/** Requests that leave the app, or that a rendered `<img src=x>` would make. */
function unexpected(requests: Request[], origin: string): string[] {
  return requests
    .map((request) => new URL(request.url()))
    .filter(
      (url) =>
        url.origin !== origin ||
        url.pathname === "/x" ||
        url.pathname.endsWith("/x") ||
        /alert|javascript/i.test(decodeURIComponent(url.href)),
    )
    .map((url) => url.href);
}

test("script, onerror and javascript: links in a reply are shown as text and never run", async ({
  page,
  chat,
  baseURL,
}) => {
  const origin = new URL(baseURL ?? "").origin;
  const seen = watch(page);
  await chat.open();
  await chat.send(HOSTILE);
  await chat.waitForReply();

  const checkReply = async () => {
    const reply = chat.lastReply();
    await expect(reply).toContainText("<script>alert(1)</script><img src=x onerror=alert(2)>");
    await expect(reply.locator("script, img, iframe, object, embed")).toHaveCount(0);
    await expect(reply.locator("[onerror], [onclick], [onload]")).toHaveCount(0);
    await expect(reply.locator("a[href]:not([href^='https:']):not([href^='http:'])")).toHaveCount(
      0,
    );
    // The link's text stays; clicking it goes nowhere and runs nothing.
    const before = page.url();
    const pagesBefore = page.context().pages().length;
    await reply.getByText("x", { exact: true }).first().click();
    // A navigation or a dialog would start at the click; give it a moment to show itself.
    await page.waitForTimeout(300);
    expect(page.url()).toBe(before);
    expect(page.context().pages()).toHaveLength(pagesBefore);
  };

  await checkReply();
  // Rendered by the server this time, from the stored reply.
  await page.reload();
  await expect(chat.lastReply()).toHaveAttribute("data-status", "complete");
  await checkReply();

  expect(seen.dialogs).toEqual([]);
  expect(seen.hydrationErrors).toEqual([]);
  expect(unexpected(seen.requests, origin)).toEqual([]);
});

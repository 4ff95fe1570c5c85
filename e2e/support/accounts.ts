import { randomUUID } from "node:crypto";
import type { APIRequestContext, Browser, BrowserContext, Page } from "@playwright/test";

export interface Account {
  email: string;
  password: string;
}

export function newAccount(): Account {
  return { email: `e2e-${randomUUID()}@example.test`, password: "correct horse battery" };
}

export async function registerViaApi(request: APIRequestContext, account: Account) {
  const response = await request.post("/api/register", { data: account });
  if (response.status() !== 201) throw new Error(`register failed: ${response.status()}`);
}

/**
 * Signs in through Auth.js's own endpoints with the context's request client, so the session
 * cookie lands in the browser context: faster than typing into the form in every test.
 */
export async function signInViaApi(request: APIRequestContext, account: Account) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: account.email, password: account.password },
    maxRedirects: 0,
  });
  if (response.status() >= 400) throw new Error(`sign-in failed: ${response.status()}`);
}

/** A new person, registered and signed in through `request` (a page's or a context's). */
export async function newSignedInAccount(request: APIRequestContext): Promise<Account> {
  const account = newAccount();
  await registerViaApi(request, account);
  await signInViaApi(request, account);
  return account;
}

/**
 * A context of its own on `baseURL` (a server other than the suite's) with a page signed in as
 * a new person. The caller closes the context.
 */
export async function openSignedInPage(
  browser: Browser,
  baseURL: string,
): Promise<{ context: BrowserContext; page: Page; account: Account }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const account = await newSignedInAccount(page.request);
  return { context, page, account };
}

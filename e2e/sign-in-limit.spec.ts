import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { AuthForm } from "./pages/auth-form";
import { type Account, newAccount, registerViaApi } from "./support/accounts";

// playwright.config.ts sets RATE_LIMIT_LOGINS_PER_MINUTE to this for the e2e server.
const LOGINS_PER_MINUTE = 30;

/** One password attempt through Auth.js's HTTP endpoint; its status. */
async function attemptViaEndpoint(request: APIRequestContext, email: string, password: string) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password },
    maxRedirects: 0,
  });
  return response;
}

/** One attempt through the sign-in form; resolves once the form has its answer. */
async function attemptViaForm(page: Page, account: Account, password: string) {
  const answered = page.waitForResponse(
    (response) =>
      response.request().method() === "POST" && new URL(response.url()).pathname === "/sign-in",
  );
  await new AuthForm(page).submit({ email: account.email, password });
  await answered;
  // React resets the form once the action's answer is rendered; typing into it before that
  // would have the reset empty the password of the next attempt.
  await expect(page.getByTestId("password")).toHaveValue("");
}

test("password guessing through the sign-in form counts against the same limit as the endpoint", async ({
  page,
}) => {
  const account = newAccount();
  await registerViaApi(page.request, account);
  // The limit counts in fixed minute windows: start early in one so the test never spans two.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 35_000) await page.waitForTimeout(60_500 - intoMinute);

  // Half the allowance through Auth.js's endpoint, the other half through the form.
  const half = LOGINS_PER_MINUTE / 2;
  for (let i = 0; i < half; i++) {
    const response = await attemptViaEndpoint(page.request, account.email, `guess-${i}`);
    expect(response.status()).toBe(302);
  }
  await page.goto("/sign-in");
  const error = page.getByTestId("auth-error");
  for (let i = half; i < LOGINS_PER_MINUTE; i++) {
    await attemptViaForm(page, account, `guess-${i}`);
    await expect(error).toHaveText("Wrong email or password");
  }

  // One more: the form is refused, and says for how long.
  await attemptViaForm(page, account, "one guess too many");
  await expect(error).toHaveText(/^Too many attempts, try again in \d+ s$/);
  // While limited, even the right password does not sign in, by either path.
  await attemptViaForm(page, account, account.password);
  await expect(error).toHaveText(/^Too many attempts, try again in \d+ s$/);
  await expect(page).toHaveURL(/\/sign-in/);
  const endpoint = await attemptViaEndpoint(page.request, account.email, account.password);
  expect(endpoint.status()).toBe(429);
  expect(endpoint.headers()["retry-after"]).toMatch(/^\d+$/);
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session?.user).toBeUndefined();
});

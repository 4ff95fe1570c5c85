import { expect, type Locator, type Page } from "@playwright/test";
import type { Account } from "../support/accounts";

/** The sign-in and sign-up forms, filled in as a person does: keys into a field that has the focus. */
export class AuthForm {
  readonly email: Locator;
  readonly password: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByTestId("email");
    this.password = page.getByTestId("password");
  }

  /**
   * Types the account into the fields: a click in the email field (whatever it held is
   * replaced), Tab to the password, Enter to send. Resolves once Enter is pressed.
   */
  async submit(account: Account) {
    await this.email.click();
    await expect(this.email).toBeFocused();
    await this.page.keyboard.press("ControlOrMeta+a");
    await this.page.keyboard.type(account.email);
    await this.page.keyboard.press("Tab");
    await expect(this.password).toBeFocused();
    await this.page.keyboard.type(account.password);
    await this.page.keyboard.press("Enter");
  }

  /** The sign-in form opens with the cursor in the email field: type, Tab, type, Enter. */
  async signInFromArrival(account: Account) {
    await expect(this.email).toBeFocused();
    await this.page.keyboard.type(account.email);
    await this.page.keyboard.press("Tab");
    await expect(this.password).toBeFocused();
    await this.page.keyboard.type(account.password);
    await this.page.keyboard.press("Enter");
  }
}

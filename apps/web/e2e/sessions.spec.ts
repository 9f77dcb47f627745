import { expect, test, type Browser, type Page } from "@playwright/test";
import { accountMenu, logIn, newUser, signUp, type TestUser } from "./support/users.ts";

async function secondDevice(browser: Browser, user: TestUser): Promise<Page> {
  const context = await browser.newContext({
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
  });
  const page = await context.newPage();
  await logIn(page, user.username, user.password);
  return page;
}

test("logs out another browser from the sessions page; it is logged out on its next request", async ({
  page,
  browser,
}) => {
  const user = newUser("sessions");
  await signUp(page, user);
  const other = await secondDevice(browser, user);

  await page.goto("/account/sessions");
  const rows = page.getByRole("row").filter({ has: page.getByRole("button", { name: /Log out this device/ }) });
  await expect(rows).toHaveCount(2);
  const otherRow = rows.filter({ hasText: "Firefox on Windows" });
  await expect(otherRow).toHaveCount(1);
  await expect(rows.filter({ has: page.getByText("This device", { exact: true }) })).toHaveCount(1);

  await otherRow.getByRole("button", { name: /Log out this device/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Firefox on Windows was logged out." })).toBeVisible();
  await expect(rows).toHaveCount(1);

  // The other browser still shows its old page; its next request finds the session gone.
  await accountMenu(other, user).click();
  await other.getByRole("menuitem", { name: "Active sessions" }).click();
  await expect(other).toHaveURL(`/login?next=${encodeURIComponent("/account/sessions")}`);
  await expect(other.getByRole("link", { name: "Log in", exact: true }).first()).toBeVisible();
  await other.context().close();

  // This browser is still logged in.
  await page.reload();
  await expect(accountMenu(page, user)).toBeVisible();
});

test("logs out everywhere else, keeping this browser", async ({ page, browser }) => {
  const user = newUser("everywhere");
  await signUp(page, user);
  const other = await secondDevice(browser, user);

  await page.goto("/account/sessions");
  await page.getByRole("button", { name: "Log out everywhere else" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 other session was logged out." })).toBeVisible();
  await expect(page.getByRole("button", { name: "Log out everywhere else" })).toBeDisabled();

  await other.reload();
  await expect(other.getByRole("link", { name: "Log in", exact: true }).first()).toBeVisible();
  await other.context().close();

  await page.reload();
  await expect(accountMenu(page, user)).toBeVisible();
});

test("logging out this device from the list logs this browser out", async ({ page }) => {
  const user = newUser("selfrevoke");
  await signUp(page, user);
  await page.goto("/account/sessions");
  await page.getByRole("button", { name: /Log out this device: .*\(this device\)/ }).click();
  await expect(page).toHaveURL("/logged-out");
  await page.goto("/account");
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent("/account")}`);
});

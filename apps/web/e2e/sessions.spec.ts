import { expect, test, type Browser, type Page } from "@playwright/test";
import { accountMenu, logIn, logOut, newUser, signUp, type TestUser } from "./support/users.ts";

/**
 * Every failed API call the page makes from now on ("GET /trpc/auth.sessions.list 401"); a batch
 * in which some calls failed answers 207.
 */
function failedApiCalls(page: Page): string[] {
  const failed: string[] = [];
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith("/trpc/") && (response.status() >= 400 || response.status() === 207)) {
      failed.push(`${response.request().method()} ${url.pathname} ${response.status()}`);
    }
  });
  return failed;
}

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
  await expect(page.getByRole("button", { name: /Log out this device: .*\(this device\)/ })).toBeVisible();
  const failed = failedApiCalls(page);
  await page.getByRole("button", { name: /Log out this device: .*\(this device\)/ }).click();
  await expect(page).toHaveURL("/logged-out");
  await expect(page.getByRole("link", { name: "Log in", exact: true }).first()).toBeVisible();
  // Leaving the sessions page must not ask the server for its list again, without a session.
  await page.waitForLoadState("networkidle");
  expect(failed).toEqual([]);
  await page.goto("/account");
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent("/account")}`);
});

test("logging out from the menu on the sessions page asks for nothing the session no longer allows", async ({
  page,
}) => {
  const user = newUser("menulogout");
  await signUp(page, user);
  await page.goto("/account/sessions");
  await expect(page.getByRole("button", { name: /Log out this device: .*\(this device\)/ })).toBeVisible();
  const failed = failedApiCalls(page);
  await logOut(page, user);
  await expect(page).toHaveURL("/logged-out");
  await expect(page.getByRole("link", { name: "Log in", exact: true }).first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(failed).toEqual([]);
});

test("moves focus to the message after logging out another device from the keyboard", async ({ page, browser }) => {
  const user = newUser("sessionkeys");
  await signUp(page, user);
  const other = await secondDevice(browser, user);

  await page.goto("/account/sessions");
  await page.getByRole("button", { name: /Log out this device: Firefox on Windows/ }).focus();
  await page.keyboard.press("Enter");
  const status = page.getByRole("status").filter({ hasText: "Firefox on Windows was logged out." });
  await expect(status).toBeVisible();
  await expect(page.getByRole("button", { name: /Log out this device: Firefox on Windows/ })).toHaveCount(0);
  await expect(status).toBeFocused();
  await other.context().close();
});

test("says a device another window already logged out was logged out, and drops it", async ({ page, browser }) => {
  const user = newUser("sessiongone");
  await signUp(page, user);
  const other = await secondDevice(browser, user);
  await page.goto("/account/sessions");
  const otherButton = page.getByRole("button", { name: /Log out this device: Firefox on Windows/ });
  await expect(otherButton).toBeVisible();

  const window2 = await page.context().newPage();
  await window2.goto("/account/sessions");
  await window2.getByRole("button", { name: /Log out this device: Firefox on Windows/ }).click();
  await expect(window2.getByRole("status").filter({ hasText: "Firefox on Windows was logged out." })).toBeVisible();
  await window2.close();

  await otherButton.click();
  await expect(page.getByRole("status").filter({ hasText: "That device was already logged out." })).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(otherButton).toHaveCount(0);
  await other.context().close();
});

test("keeps one h1 on the page when the sessions list cannot be loaded", async ({ page }) => {
  const user = newUser("sessionsdown");
  await signUp(page, user);
  await page.route(
    (url) => url.pathname === "/trpc/auth.sessions.list",
    (route) => route.abort("connectionrefused"),
  );
  await page.goto("/account/sessions");
  // The account pages' own h1 stays the page's heading; the failure is a section under it.
  await expect(page.getByRole("heading", { level: 2, name: "This page could not be loaded" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(["Your account"]);
  await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
});

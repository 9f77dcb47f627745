import { expect, test, type Page } from "@playwright/test";
import { accountMenu, logIn, logOut, newUser, signUp, submitLogin } from "./support/users.ts";

/** What a browser does when the user comes back to a tab: react-query asks `auth.me` again. */
async function bringToFront(page: Page): Promise<void> {
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange", { bubbles: true })));
}

test("a tab left open shows the account of whoever logs in in another tab, and saves nothing for the previous one", async ({
  page,
}) => {
  const alice = newUser("tabalice");
  const bob = newUser("tabbob");
  // Bob exists; then this browser (one context: one cookie jar, two tabs) belongs to Alice.
  await signUp(page, bob);
  await logOut(page, bob);
  await signUp(page, alice);
  await page.goto("/account");
  await expect(page.getByLabel("Email address")).toHaveValue(alice.email);
  await page.getByLabel("First name").fill("Alicia");

  // The other tab switches accounts from the login page, without logging out first.
  const other = await page.context().newPage();
  await other.goto("/login");
  await submitLogin(other, bob.username, bob.password);
  await expect(accountMenu(other, bob)).toBeVisible();

  // The first tab rebuilt its page for Bob: Alice's unsaved value is gone, Bob's address shows.
  await expect(page.getByRole("status").filter({ hasText: `now logged in as ${bob.username}` })).toBeVisible();
  await expect(accountMenu(page, bob)).toBeVisible();
  await expect(page.getByLabel("Email address")).toHaveValue(bob.email);
  await expect(page.getByLabel("First name")).toHaveValue("");
  await other.close();
});

test("a tab on a page that needs a login goes to the login page when another tab logs out", async ({ page }) => {
  const user = newUser("tablogout");
  await signUp(page, user);
  await page.goto("/account/password");
  await expect(page.getByLabel("Old password")).toBeVisible();

  const other = await page.context().newPage();
  await other.goto("/");
  await logOut(other, user);

  await expect(page).toHaveURL(`/login?next=${encodeURIComponent("/account/password")}`);
  await expect(page.getByRole("status").filter({ hasText: "You were logged out" })).toBeVisible();
  await other.close();
});

test("a device logged out from another one leaves its private page when it is next brought to the front", async ({
  page,
  browser,
}) => {
  const user = newUser("tabdevice");
  await signUp(page, user);
  const device = await browser.newContext();
  const away = await device.newPage();
  await logIn(away, user.username, user.password);
  await away.goto("/account/password");
  await expect(away.getByLabel("Old password")).toBeVisible();

  await page.goto("/account/sessions");
  await page.getByRole("button", { name: "Log out everywhere else" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 other session was logged out." })).toBeVisible();

  await bringToFront(away);
  await expect(away).toHaveURL(`/login?next=${encodeURIComponent("/account/password")}`);
  await expect(away.getByRole("status").filter({ hasText: "You were logged out" })).toBeVisible();
  await device.close();
});

test("a tab sent to log in when another tab logged out offers the way on when the same user logs in again", async ({
  page,
}) => {
  const user = newUser("tabagain");
  await signUp(page, user);
  await page.goto("/account/sessions");
  await expect(page.getByRole("heading", { name: "Active sessions" })).toBeVisible();

  const other = await page.context().newPage();
  await other.goto("/");
  await logOut(other, user);
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent("/account/sessions")}`);

  await logIn(other, user.username, user.password);

  // The same person is back: no talk of another account, nor of one lacking access.
  await expect(
    page.getByRole("status").filter({ hasText: `You logged in again as ${user.username}, in another window.` }),
  ).toBeVisible();
  await expect(page.getByText("now logged in as")).toHaveCount(0);
  await expect(page.getByText("doesn’t have access")).toHaveCount(0);
  const notice = page.getByRole("status").filter({ hasText: `You are logged in as ${user.username}.` });
  await notice.getByRole("link", { name: "Continue" }).click();
  await expect(page).toHaveURL("/account/sessions");
  await expect(page.getByRole("heading", { name: "Active sessions" })).toBeVisible();
  await other.close();
});

import { expect, test, type Locator } from "@playwright/test";
import { BASE_URL } from "./support/env.ts";
import { accountMenu, logIn, logOut, newUser, signUp, submitLogin } from "./support/users.ts";

const DJANGO_LOGIN_ERROR = "Please enter a correct username and password. Note that both fields may be case-sensitive.";

test("signs up, logs out and logs back in", async ({ page }) => {
  const user = newUser("signup");
  await signUp(page, user);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");

  // The session cookie is HttpOnly: page script cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain("session=");

  await logOut(page, user);
  await expect(page.getByRole("link", { name: "Log in", exact: true }).first()).toBeVisible();
  await expect(accountMenu(page, user)).toHaveCount(0);

  await page.goto("/login");
  await submitLogin(page, user.username, user.password);
  await expect(page).toHaveURL("/");
  await expect(accountMenu(page, user)).toBeVisible();

  // The email address works as the username too.
  await logOut(page, user);
  await page.goto("/login");
  await submitLogin(page, user.email, user.password);
  await expect(accountMenu(page, user)).toBeVisible();
});

test("shows Django's message for a wrong password and asks for the password again", async ({ page }) => {
  const user = newUser("wrongpw");
  await signUp(page, user);
  await logOut(page, user);

  await page.goto("/login");
  await submitLogin(page, user.username, "not-the-password");
  const alert = page.getByRole("alert");
  await expect(alert).toHaveText(DJANGO_LOGIN_ERROR);
  await expect(alert).toBeFocused();
  await expect(page.getByLabel("Username or email")).toHaveValue(user.username);
  await expect(page.getByLabel("Password")).toHaveValue("");
  await expect(page).toHaveURL("/login");
});

test("checks the sign-up form in the browser and shows the server's errors next to the fields", async ({ page }) => {
  const taken = newUser("taken");
  await signUp(page, taken);
  await logOut(page, taken);

  await page.goto("/signup");
  // Django's validators run on blur, before any request.
  await page.getByLabel("Password", { exact: true }).fill("12345678");
  await page.getByLabel("Password confirmation").focus();
  await expect(page.getByText("This password doesn’t meet the requirements above.")).toBeVisible();
  const rules = page.getByRole("list", { name: "Password requirements" });
  await expect(rules.getByRole("listitem").filter({ hasText: "commonly used password" })).toContainText("(not met)");
  await expect(rules.getByRole("listitem").filter({ hasText: "entirely numeric" })).toContainText("(not met)");
  await expect(rules.getByRole("listitem").filter({ hasText: "at least 8 characters" })).toContainText("(met)");

  // Submitting an empty form focuses the first invalid field.
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Username")).toBeFocused();
  await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");

  // Only the server knows the username is taken: its message lands next to the field.
  const user = newUser("second");
  await page.getByLabel("Username").fill(taken.username);
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByLabel("Password confirmation").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("A user with that username already exists.")).toBeVisible();
  await expect(page.getByLabel("Username")).toBeFocused();
  await expect(page).toHaveURL("/signup");
});

test("sends a logged-out visitor of a protected page to log in, then back to it", async ({ page }) => {
  const user = newUser("guard");
  await signUp(page, user);
  await logOut(page, user);

  await page.goto("/account/sessions");
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent("/account/sessions")}`);
  await expect(page.getByText("Please log in to see this page.")).toBeVisible();
  await expect(page).toHaveTitle("Log in · tsbin");
  await submitLogin(page, user.username, user.password);
  await expect(page).toHaveURL("/account/sessions");
  await expect(page.getByRole("heading", { name: "Active sessions" })).toBeVisible();
});

test.describe("?next= never leads off the site", () => {
  const user = newUser("next");

  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    await signUp(page, user);
    await page.close();
  });

  // The two, plus shapes from Django's tests and later CVEs (the unit tests cover the rest).
  for (const next of [
    "https://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "https:evil.example",
    `${BASE_URL}@evil.example`,
    " //evil.example",
  ]) {
    test(`ignores next=${JSON.stringify(next)}`, async ({ page }) => {
      const offSite: string[] = [];
      page.on("request", (request) => {
        if (!request.url().startsWith(BASE_URL)) offSite.push(request.url());
      });
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      await submitLogin(page, user.username, user.password);
      await expect(accountMenu(page, user)).toBeVisible();
      await expect(page).toHaveURL(`${BASE_URL}/`);
      expect(offSite).toEqual([]);
    });
  }

  test("keeps a same-site next with an absolute URL in its query", async ({ page }) => {
    await page.goto(`/login?next=${encodeURIComponent("/account?x=http://example.com")}`);
    await submitLogin(page, user.username, user.password);
    await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
    const url = new URL(page.url());
    expect(url.origin).toBe(BASE_URL);
    expect(url.pathname).toBe("/account");
    expect(url.searchParams.get("x")).toBe("http://example.com");
  });
});

test("shows the 404 page for an unknown address, with a 404 status", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page).toHaveTitle("Page not found · tsbin");
});

test("answers the app's pages with 200, in any case and with a trailing slash", async ({ page }) => {
  for (const path of ["/login", "/LOGIN", "/signup/", "/password-reset", "/reset-password/abc.def"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { name: "Page not found" }), path).toHaveCount(0);
  }
});

test("titles the 404 page of an unknown address under /account too", async ({ page }) => {
  await page.goto("/account/nope");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page).toHaveTitle("Page not found · tsbin");
});

test("titles the 404 page of an unknown address under a real page as not found", async ({ page }) => {
  for (const path of ["/login/x", "/signup/x", "/password-reset/x", "/password-reset/done", "/logged-out/x"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page, path).toHaveTitle("Page not found · tsbin");
  }
  await signUp(page, newUser("notfound"));
  for (const path of ["/account/password/x", "/account/sessions/x"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page, path).toHaveTitle("Page not found · tsbin");
  }
});

test("clears the previous message about the form when the next attempt fails on a field", async ({ page }) => {
  const user = newUser("staleAlert");
  await signUp(page, user);
  await logOut(page, user);

  await page.goto("/login");
  await submitLogin(page, user.username, "not-the-password");
  await expect(page.getByRole("alert")).toHaveText(DJANGO_LOGIN_ERROR);
  await page.getByLabel("Username or email").fill("");
  await page.getByLabel("Password").fill("another-password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByText("This field is required.")).toBeVisible();
  await expect(page.getByText(DJANGO_LOGIN_ERROR)).toHaveCount(0);
});

test("updates the name and email in account settings", async ({ page }) => {
  const user = newUser("settings");
  await signUp(page, user);
  await page.goto("/account");
  await page.getByLabel("First name").fill("Ada");
  await page.getByLabel("Last name").fill("Lovelace");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your account was updated." })).toBeVisible();
  await expect(page.getByRole("button", { name: "Account menu for Ada Lovelace" })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel("First name")).toHaveValue("Ada");
  await expect(page.getByLabel("Email address")).toHaveValue(user.email);
  await logIn(page, user.username, user.password);
});

test("asks for the current password to change the email address in account settings", async ({ page }) => {
  const user = newUser("email");
  await signUp(page, user);
  await page.goto("/account");
  const email = page.getByLabel("Email address");
  const password = page.getByLabel("Current password");
  const save = page.getByRole("button", { name: "Save changes" });
  await expect(email).toHaveValue(user.email);
  await expect(password).toHaveCount(0);

  // A new address brings the password field; the saved one (in any spelling that stores it) takes it away.
  const newEmail = `moved.${user.email}`;
  await email.fill(newEmail);
  await expect(password).toBeVisible();
  await expect(password).toHaveAttribute("type", "password");
  await expect(password).toHaveAttribute("autocomplete", "current-password");
  await email.fill(user.email.replace("@example.com", "@EXAMPLE.com"));
  await expect(password).toHaveCount(0);
  await email.fill(newEmail);

  // Left empty: asked for before the round trip.
  await save.click();
  await expect(password).toHaveAccessibleDescription(/Enter your current password to change your email address\./u);
  await expect(password).toHaveAttribute("aria-invalid", "true");

  // A wrong one: the server's message, under the field, which gets the focus.
  await password.fill("not-my-password");
  await save.click();
  await expect(page.getByText("Your password was entered incorrectly. Please enter it again.")).toBeVisible();
  await expect(password).toHaveAccessibleDescription(
    /Your password was entered incorrectly\. Please enter it again\./u,
  );
  await expect(password).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: "Your account was updated." })).toHaveCount(0);

  // The right one saves; the field goes away with the change saved.
  await password.fill(user.password);
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Your account was updated." })).toBeVisible();
  await expect(password).toHaveCount(0);
  await page.reload();
  await expect(email).toHaveValue(newEmail);
  await expect(password).toHaveCount(0);
});

test("works the account menu from the keyboard", async ({ page }) => {
  const user = newUser("keys");
  await signUp(page, user);
  const menuButton = accountMenu(page, user);
  await menuButton.focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitem", { name: "Account settings" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitem", { name: "Active sessions" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/account/sessions");
  await expect(page.getByRole("menu")).toHaveCount(0);

  await menuButton.focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("End");
  await expect(page.getByRole("menuitem", { name: "Log out" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toHaveCount(0);
  await expect(menuButton).toBeFocused();
});

test("moves through the login form, and on to the next page, from the keyboard", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username or email").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Forgot your password?" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/password-reset");
  // The new page has the focus, not the link that led to it (gone with the old page).
  await expect(page.locator("main")).toBeFocused();

  await page.getByRole("banner").getByRole("link", { name: "Sign up" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/signup");
  await expect(page.locator("main")).toBeFocused();
});

test("says who is logged in on the sign-up page, since signing up switches accounts", async ({ page }) => {
  const user = newUser("signupagain");
  await signUp(page, user);
  await page.goto("/signup");
  await expect(page.getByRole("status").filter({ hasText: `You are logged in as ${user.username}.` })).toBeVisible();
});

test("does not tell a logged-in visitor of /logged-out that they are logged out", async ({ page }) => {
  const user = newUser("notout");
  await signUp(page, user);
  await page.goto("/logged-out");
  await expect(page).toHaveURL("/");
  await expect(accountMenu(page, user)).toBeVisible();
  await expect(page.getByRole("heading", { name: "You are logged out" })).toHaveCount(0);
});

test("offers a logged-in visitor of a login link the way on, and still the form to switch accounts", async ({
  page,
}) => {
  const user = newUser("onward");
  await signUp(page, user);
  await page.goto(`/login?next=${encodeURIComponent("/account/sessions?from=tab#top")}`);
  const notice = page.getByRole("status").filter({ hasText: `You are logged in as ${user.username}.` });
  await expect(notice).toBeVisible();
  // Only anonymous users are sent to log in here: nothing lacks access.
  await expect(page.getByText("doesn’t have access")).toHaveCount(0);
  await expect(page.getByText("Please log in to see this page.")).toHaveCount(0);
  await expect(page.getByLabel("Username or email")).toBeVisible();
  await expect(page.getByRole("button", { name: "Log in", exact: true })).toBeVisible();

  const next = notice.getByRole("link", { name: "Continue" });
  await expect(next).toHaveAttribute("href", "/account/sessions?from=tab#top");
  await next.click();
  await expect(page).toHaveURL("/account/sessions?from=tab#top");
  await expect(page.getByRole("heading", { name: "Active sessions" })).toBeVisible();

  // An unsafe next offers no way on (the form ignores it too).
  await page.goto(`/login?next=${encodeURIComponent("//evil.example")}`);
  await expect(page.getByRole("status").filter({ hasText: `You are logged in as ${user.username}.` })).toBeVisible();
  await expect(page.getByRole("link", { name: "Continue" })).toHaveCount(0);
});

/** The texts of the elements under `container` that are isolated from the text around them. */
function isolatedTexts(container: Locator): Promise<string[]> {
  return container.evaluate((root) =>
    [root, ...root.querySelectorAll("*")]
      .filter((element) => ["isolate", "isolate-override", "plaintext"].includes(getComputedStyle(element).unicodeBidi))
      .map((element) => element.textContent ?? ""),
  );
}

test("keeps bidi controls in a name from reordering the text around it", async ({ page }) => {
  const user = newUser("bidi");
  await signUp(page, user);
  await page.goto("/account");
  await page.getByLabel("First name").fill("\u202EAdmin");
  await page.getByLabel("Last name").fill("(verified)");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your account was updated." })).toBeVisible();
  const name = "\u202EAdmin (verified)";

  await page.goto("/");
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText(`Welcome, ${name}.`);
  expect(await isolatedTexts(heading)).toContain(name);

  const menuButton = page.getByRole("button", { name: /^Account menu for / });
  expect(await isolatedTexts(menuButton)).toContain(name);
  // The avatar shows the first letter a reader sees, not the invisible control before it.
  await expect(menuButton.locator("span[aria-hidden=true]").first()).toHaveText("A");

  await menuButton.click();
  expect(await isolatedTexts(page.getByText("Logged in as"))).toContain(user.username);
});

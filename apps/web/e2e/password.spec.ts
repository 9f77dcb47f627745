import { expect, test } from "@playwright/test";
import { BASE_URL } from "./support/env.ts";
import { readResetLink } from "./support/outbox.ts";
import { accountMenu, logOut, newUser, signUp, submitLogin } from "./support/users.ts";

test("changes the password, then logs in with the new one only", async ({ page }) => {
  const user = newUser("change");
  await signUp(page, user);
  const newPassword = `${user.password}-renewed`;

  await page.goto("/account/password");
  await page.getByLabel("Old password").fill("wrong-old-password");
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("New password confirmation").fill(newPassword);
  await page.getByRole("button", { name: "Change my password" }).click();
  await expect(page.getByText("Your old password was entered incorrectly. Please enter it again.")).toBeVisible();
  await expect(page.getByLabel("Old password")).toBeFocused();

  await page.getByLabel("Old password").fill(user.password);
  await page.getByRole("button", { name: "Change my password" }).click();
  await expect(page).toHaveURL("/account/password/done");
  await expect(page.getByRole("heading", { name: "Password change successful" })).toBeVisible();
  await expect(accountMenu(page, user)).toBeVisible();

  await logOut(page, user);
  await page.goto("/login");
  await submitLogin(page, user.username, user.password);
  await expect(page.getByRole("alert")).toContainText("Please enter a correct username and password.");
  await submitLogin(page, user.username, newPassword);
  await expect(accountMenu(page, user)).toBeVisible();
});

test("resets a forgotten password with the link from the email", async ({ page }) => {
  const user = newUser("reset");
  await signUp(page, user);
  await logOut(page, user);

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email address").fill(user.email);
  await page.getByRole("button", { name: "Reset my password" }).click();
  await expect(page).toHaveURL("/password-reset/sent");
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  const link = await readResetLink(user.email);
  const token = link.slice(`${BASE_URL}/reset-password/`.length);
  // Every request after the link is opened: none may name the token in its URL (the check is a
  // POST with the token in the body) or in a Referer, and none may leave the site.
  const leaks: string[] = [];
  page.on("request", (request) => {
    const referer = request.headers()["referer"] ?? "";
    const urlNamesToken = request.url() !== link && request.url().includes(token);
    if (urlNamesToken || referer.includes(token) || !request.url().startsWith(BASE_URL)) {
      leaks.push(`${request.method()} ${request.url()} referer=${referer}`);
    }
  });

  await page.goto(link);
  // The token leaves the address bar as soon as the page loads.
  await expect(page).toHaveURL(`${BASE_URL}/reset-password/set`);
  await expect(page.getByRole("heading", { name: "Enter new password" })).toBeVisible();
  // A hidden username field tells password managers which login the new password is for.
  await expect(page.locator("form input[autocomplete=username]")).toHaveValue(user.username);
  const newPassword = `${user.password}-reset`;
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("New password confirmation").fill(newPassword);
  await page.getByRole("button", { name: "Change my password" }).click();
  await expect(page).toHaveURL("/password-reset/complete");
  await expect(page.getByRole("heading", { name: "Password reset complete" })).toBeVisible();
  expect(leaks).toEqual([]);

  await page.getByRole("link", { name: "Log in" }).last().click();
  await submitLogin(page, user.username, newPassword);
  await expect(accountMenu(page, user)).toBeVisible();

  // The link works once.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This link is invalid or has expired" })).toBeVisible();
});

test("says a made-up reset link is invalid", async ({ page }) => {
  await page.goto("/reset-password/not-a-real-token");
  await expect(page).toHaveURL("/reset-password/set");
  await expect(page.getByRole("heading", { name: "This link is invalid or has expired" })).toBeVisible();
  await expect(page).toHaveTitle("Password reset unsuccessful · tsbin");
  await expect(page.getByRole("link", { name: "Request a new link" })).toBeVisible();
  // The API cancels a user's older links when a new one is requested: the page says so.
  await expect(page.getByText("requesting a new password reset replaces any link sent before it")).toBeVisible();
});

test("offers to check the link again, or to ask for a new one, when it could not be checked", async ({ page }) => {
  const isCheck = (url: URL): boolean => url.pathname.includes("auth.checkResetToken");
  await page.route(isCheck, (route) => route.abort("connectionrefused"));
  await page.goto("/reset-password/not-a-real-token");
  await expect(page.getByRole("heading", { level: 1, name: "The link could not be checked" })).toBeVisible();
  await expect(page).toHaveTitle("The link could not be checked · tsbin");
  await expect(page.getByRole("alert")).toContainText("The server could not be reached.");
  await expect(page.getByRole("link", { name: "Request a new link" })).toHaveAttribute("href", "/password-reset");

  await page.unroute(isCheck);
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { name: "This link is invalid or has expired" })).toBeVisible();
  await expect(page).toHaveTitle("Password reset unsuccessful · tsbin");
});

test("marks the similarity rule not met when the server finds the new password too similar", async ({ page }) => {
  const user = newUser("similar");
  await signUp(page, user);
  await logOut(page, user);
  await page.goto("/password-reset");
  await page.getByLabel("Email address").fill(user.email);
  await page.getByRole("button", { name: "Reset my password" }).click();
  await expect(page).toHaveURL("/password-reset/sent");

  await page.goto(await readResetLink(user.email));
  const similar = `${user.username}1`;
  await page.getByLabel("New password", { exact: true }).fill(similar);
  await page.getByLabel("New password confirmation").fill(similar);
  await page.getByRole("button", { name: "Change my password" }).click();
  await expect(page.getByText("The password is too similar to the username.")).toBeVisible();
  const rule = page
    .getByRole("list", { name: "Password requirements" })
    .getByRole("listitem")
    .filter({ hasText: "too similar to your other personal information" });
  await expect(rule).toContainText("(not met)");

  // Another password has not been checked against the account yet.
  await page.getByLabel("New password", { exact: true }).fill(`${user.password}-other`);
  await expect(rule).toContainText("(not checked yet)");
});

import { expect, test, type Page } from "@playwright/test";
import { newUser, signUp } from "./support/users.ts";

const NETWORK_MESSAGE = "The server could not be reached. Check your connection and try again.";

/** Every request of the page fails from now on, as when the server is down; returns the way back. */
async function takeServerDown(page: Page): Promise<() => Promise<void>> {
  await page.route("**/*", (route) => route.abort("connectionrefused"));
  return () => page.unrouteAll({ behavior: "wait" });
}

test("says the server cannot be reached when the browser is offline, and keeps the password", async ({
  page,
  context,
}) => {
  await page.goto("/login");
  await page.getByLabel("Username or email").fill("someone");
  await page.getByLabel("Password").fill("a password to keep");
  await context.setOffline(true);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(NETWORK_MESSAGE);
  await expect(page.getByRole("button", { name: "Log in", exact: true })).toBeEnabled();
  // Only a wrong password is asked for again.
  await expect(page.getByLabel("Password")).toHaveValue("a password to keep");
  await context.setOffline(false);
});

test("says the server cannot be reached when the browser went offline before the form's code was loaded", async ({
  page,
  context,
}) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  // The form's validation is downloaded on first focus; offline, that download fails too.
  await context.setOffline(true);
  await page.getByLabel("Username or email").fill("someone");
  await page.getByLabel("Password").fill("a password to keep");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(NETWORK_MESSAGE);
  await expect(page.getByLabel("Password")).toHaveValue("a password to keep");

  await context.setOffline(false);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(
    "Please enter a correct username and password. Note that both fields may be case-sensitive.",
  );
});

test("clears an old form message when the next attempt fails on the form itself", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username or email").fill("someone");
  await page.getByLabel("Password").fill("a password");
  const serverBack = await takeServerDown(page);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(NETWORK_MESSAGE);
  await serverBack();

  await page.getByLabel("Username or email").fill("");
  await page.getByLabel("Password").fill("a password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByText("This field is required.")).toBeVisible();
  await expect(page.getByText(NETWORK_MESSAGE)).toHaveCount(0);
});

test("shows the page's error with Try again when a page's code cannot be downloaded, without reloading", async ({
  page,
}) => {
  const user = newUser("outage");
  await signUp(page, user);
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
  // Gone if the document reloads.
  await page.evaluate(() => Object.assign(window, { outageMarker: true }));

  const serverBack = await takeServerDown(page);
  await page.getByRole("link", { name: "Password" }).click();
  await expect(page.getByRole("heading", { name: "This page could not be loaded" })).toBeVisible();
  await expect(page.getByText(NETWORK_MESSAGE)).toBeVisible();
  expect(await page.evaluate(() => "outageMarker" in window)).toBe(true);

  await serverBack();
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { name: "Change password" })).toBeVisible();
  await expect(page.getByLabel("Old password")).toBeVisible();
  expect(await page.evaluate(() => "outageMarker" in window)).toBe(true);
});

test("reloads the page when a page's code is gone but the server answers, as after a new deployment", async ({
  page,
}) => {
  const user = newUser("redeploy");
  await signUp(page, user);
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
  await page.evaluate(() => Object.assign(window, { outageMarker: true }));

  // The chunk the running page names is no longer deployed; everything else is.
  await page.route(/\/assets\/password-change-[^/]+\.js$/u, (route) => route.fulfill({ status: 404, body: "" }));
  const reloaded = page.waitForEvent("load");
  await page.getByRole("link", { name: "Password" }).click();
  await reloaded;
  expect(await page.evaluate(() => "outageMarker" in window)).toBe(false);
  await page.unrouteAll({ behavior: "wait" });
  await page.reload();
  await expect(page.getByRole("heading", { name: "Change password" })).toBeVisible();
});

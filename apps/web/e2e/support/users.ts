import { expect, type Locator, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";

/** A person who will sign up during a test. */
export interface TestUser {
  username: string;
  email: string;
  password: string;
}

/** A user no other test uses, with a password that passes Django's validators. */
export function newUser(prefix: string): TestUser {
  const suffix = randomBytes(4).toString("hex");
  return {
    username: `${prefix}_${suffix}`,
    email: `${prefix}.${suffix}@example.com`,
    password: `Tangerine-Ladder-${suffix}!`,
  };
}

/** Signs up through the form; ends on the home page, logged in. */
export async function signUp(page: Page, user: TestUser): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByLabel("Password confirmation").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL("/");
  await expect(accountMenu(page, user)).toBeVisible();
}

/** Fills and sends the login form of the page already open. */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
}

/** Opens /login and logs in; ends wherever the login page sends the user. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/login");
  await submitLogin(page, username, password);
  await expect(page.getByRole("button", { name: /^Account menu for / })).toBeVisible();
}

/** The header's account menu button of a logged-in user. */
export function accountMenu(page: Page, user: Pick<TestUser, "username">): Locator {
  return page.getByRole("button", { name: `Account menu for ${user.username}` });
}

/** Logs out through the header menu (a POST, as Django 5 requires); ends on the logged-out page. */
export async function logOut(page: Page, user: Pick<TestUser, "username">): Promise<void> {
  await accountMenu(page, user).click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await expect(page).toHaveURL("/logged-out");
  await expect(page.getByRole("heading", { name: "You are logged out" })).toBeVisible();
}

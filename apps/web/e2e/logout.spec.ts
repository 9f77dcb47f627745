import { expect, test, type Page } from "@playwright/test";
import { accountMenu, newUser, signUp } from "./support/users.ts";

/** Counts the auth.logout calls the page sends (a batch may carry more than one). */
function countLogouts(page: Page): { count: () => number } {
  let count = 0;
  page.on("request", (request) => {
    const { pathname } = new URL(request.url());
    if (!pathname.startsWith("/trpc/")) return;
    count += pathname
      .slice("/trpc/".length)
      .split(",")
      .filter((name) => name === "auth.logout").length;
  });
  return { count: () => count };
}

test("shows that a slow logout is under way and sends it once, however often Log out is chosen", async ({ page }) => {
  const user = newUser("slowlogout");
  await signUp(page, user);
  const logouts = countLogouts(page);
  // The server answers only when the test says so: a slow network.
  let answer = (): void => undefined;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  await page.route(
    (url) => url.pathname.includes("auth.logout"),
    async (route) => {
      await answered;
      await route.continue();
    },
  );

  const menuButton = accountMenu(page, user);
  await menuButton.click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await expect(menuButton).toHaveAttribute("aria-busy", "true");
  await expect(menuButton).toContainText("Logging out…");

  // An impatient user chooses the last item again, by mouse and by keyboard, while the first
  // logout is on its way.
  const menu = page.getByRole("menu");
  const last = menu.getByRole("menuitem").last();
  for (const choose of [() => last.click({ force: true }), () => last.press("Enter"), () => last.press(" ")]) {
    if (!(await menu.isVisible())) await menuButton.click();
    await expect(last).toHaveText("Logging out…");
    await expect(last).toHaveAttribute("aria-disabled", "true");
    await expect(last).toHaveAttribute("aria-busy", "true");
    await choose();
  }

  answer();
  await expect(page).toHaveURL("/logged-out");
  await expect(page.getByRole("heading", { name: "You are logged out" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(logouts.count()).toBe(1);
});

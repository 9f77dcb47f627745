import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { signUp, type TestUser } from "./support/users.ts";

const WIDTH = 375;

test.use({ viewport: { width: WIDTH, height: 800 } });

/** A user whose username is one long word, as an email address used as username is. */
function longNamedUser(): TestUser {
  const suffix = randomBytes(4).toString("hex");
  return {
    username: `jennifer.smith.${suffix}@example-organisation.com`,
    email: `jennifer.${suffix}@example.com`,
    password: `Tangerine-Ladder-${suffix}!`,
  };
}

async function expectNoSidewaysScrolling(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH);
}

test("wraps a long username instead of making a phone's page scroll sideways", async ({ page }) => {
  const user = longNamedUser();
  await signUp(page, user);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(user.username);
  await expectNoSidewaysScrolling(page);

  await page.getByRole("button", { name: `Account menu for ${user.username}` }).click();
  const heading = page.getByText("Logged in as");
  await expect(heading).toContainText(user.username);
  expect(await heading.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  await expectNoSidewaysScrolling(page);
  await page.keyboard.press("Escape");

  for (const path of ["/account", "/account/password", "/account/sessions"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2 })).toBeVisible();
    await expectNoSidewaysScrolling(page);
  }

  for (const path of ["/login", "/signup"]) {
    await page.goto(path);
    await expect(page.getByRole("status").filter({ hasText: `You are logged in as ${user.username}` })).toBeVisible();
    await expectNoSidewaysScrolling(page);
  }
});

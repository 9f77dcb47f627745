import { expect, test, type Page } from "@playwright/test";

declare global {
  interface Window {
    cspViolations?: string[];
  }
}

/**
 * Records every `securitypolicyviolation` the page reports, from before its first script runs, and
 * every console message about the Content Security Policy. Returns what was recorded so far.
 */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const logged: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) logged.push(message.text());
  });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener(
      "securitypolicyviolation",
      (event) => window.cspViolations?.push(`${event.violatedDirective} ${event.blockedURI}`),
      true,
    );
  });
  return async () => [...(await page.evaluate(() => window.cspViolations ?? [])), ...logged];
}

test("validates the login form without breaking the Content Security Policy", async ({ page }) => {
  const violations = await watchCsp(page);
  await page.goto("/login");
  await page.getByLabel("Username or email").fill("someone");
  await page.getByLabel("Username or email").fill("");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  expect(await violations()).toEqual([]);
});

test("validates the sign-up form without breaking the Content Security Policy", async ({ page }) => {
  const violations = await watchCsp(page);
  await page.goto("/signup");
  await page.getByLabel("Username").fill("not a valid username!");
  await page.getByLabel("Email address").fill("not-an-address");
  await page.getByLabel("Password", { exact: true }).fill("12345678");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("This password doesn’t meet the requirements above.")).toBeVisible();
  expect(await violations()).toEqual([]);
});

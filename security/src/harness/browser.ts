import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium, headless; Playwright never downloads a browser here. */
export const CHROMIUM = "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/**
 * Logs in from inside the page, on the app's own origin, the way the SPA does (a same-origin fetch):
 * the browser itself stores the cookie. Returns the HTTP status.
 */
export async function logInInBrowser(page: Page, baseUrl: string, username: string, password: string): Promise<number> {
  if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/healthz`);
  return page.evaluate(
    async ({ username, password }) => {
      const response = await fetch("/trpc/auth.login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { username, password } }),
      });
      return response.status;
    },
    { username, password },
  );
}

/** `auth.me` from inside the page: who the browser's cookie says it is. */
export async function whoAmIInBrowser(
  page: Page,
  baseUrl: string,
): Promise<{ isAuthenticated: boolean; id: number | null }> {
  if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/healthz`);
  return page.evaluate(async () => {
    const response = await fetch("/trpc/auth.me");
    const body = (await response.json()) as {
      result: { data: { json: { isAuthenticated: boolean; id: number | null } } };
    };
    return body.result.data.json;
  });
}

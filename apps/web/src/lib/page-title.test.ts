import {
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
  type AnyRouter,
} from "@tanstack/react-router";
import { describe, expect, it } from "vitest";
import { pageTitle } from "./page-title.ts";

// The shape of the app's route tree: pages at the top, a frame (/account) with pages inside, and
// the 404 page on the root.
function createTestRouter(path: string): AnyRouter {
  const root = createRootRoute({ notFoundComponent: () => null });
  const home = createRoute({ getParentRoute: () => root, path: "/" });
  const login = createRoute({ getParentRoute: () => root, path: "/login", staticData: { title: "Log in" } });
  const reset = createRoute({
    getParentRoute: () => root,
    path: "/password-reset",
    staticData: { title: "Forgot your password?" },
  });
  const resetSent = createRoute({
    getParentRoute: () => root,
    path: "/password-reset/sent",
    staticData: { title: "Check your email" },
  });
  const account = createRoute({ getParentRoute: () => root, path: "/account" });
  const settings = createRoute({
    getParentRoute: () => account,
    path: "/",
    staticData: { title: "Account settings" },
  });
  const password = createRoute({
    getParentRoute: () => account,
    path: "/password",
    staticData: { title: "Change password" },
  });
  return createRouter({
    routeTree: root.addChildren([home, login, reset, resetSent, account.addChildren([settings, password])]),
    history: createMemoryHistory({ initialEntries: [path] }),
  });
}

async function titleAt(path: string): Promise<string> {
  const router = createTestRouter(path);
  await router.load();
  return pageTitle(router.state.matches);
}

describe("pageTitle", () => {
  it("names a page by its route's title", async () => {
    expect(await titleAt("/login")).toBe("Log in · tsbin");
    expect(await titleAt("/password-reset/sent")).toBe("Check your email · tsbin");
    expect(await titleAt("/account")).toBe("Account settings · tsbin");
    expect(await titleAt("/account/password")).toBe("Change password · tsbin");
  });

  it("falls back to the site's name for a page without a title", async () => {
    expect(await titleAt("/")).toBe("tsbin");
  });

  it("titles an unknown address as not found, at the top and under a frame", async () => {
    expect(await titleAt("/nope")).toBe("Page not found · tsbin");
    expect(await titleAt("/account/nope")).toBe("Page not found · tsbin");
  });

  it("titles an unknown address under a real page as not found, not as that page", async () => {
    expect(await titleAt("/login/x")).toBe("Page not found · tsbin");
    expect(await titleAt("/password-reset/done")).toBe("Page not found · tsbin");
    expect(await titleAt("/account/password/x")).toBe("Page not found · tsbin");
  });
});

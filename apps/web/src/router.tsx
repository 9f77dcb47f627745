import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, createRouter } from "@tanstack/react-router";
import { AppShell } from "./features/layout/app-shell.tsx";
import { PagePending } from "./features/layout/page-pending.tsx";
import { RootErrorPage } from "./features/layout/root-error-page.tsx";
import { RouteErrorPage } from "./features/layout/route-error-page.tsx";
import { loggedOutOnly, loginRequired } from "./lib/guards.ts";
import { lazyPage } from "./lib/lazy-page.ts";
import { pageTitle } from "./lib/page-title.ts";
import { queryClient, trpc } from "./lib/trpc.ts";
import { NotFoundPage } from "./routes/not-found.tsx";

/** What every route's `beforeLoad` and loader receive. */
export interface RouterContext {
  queryClient: QueryClient;
}

/** `?next=` of the login and sign-up pages: kept only when it is a string; it is vetted on use. */
function validateNextSearch(search: Record<string, unknown>): { next?: string } {
  return typeof search.next === "string" ? { next: search.next } : {};
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  // Django's `request.user` for every route: the guards read it, and the header shows it.
  beforeLoad: async ({ context }) => ({
    user: await context.queryClient.ensureQueryData(trpc.auth.me.queryOptions()),
  }),
  component: AppShell,
  notFoundComponent: NotFoundPage,
  errorComponent: RootErrorPage,
});

const homeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  component: lazyPage(() => import("./routes/home.tsx"), "HomePage"),
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  staticData: { title: "Log in" },
  validateSearch: validateNextSearch,
  component: lazyPage(() => import("./routes/login.tsx"), "LoginPage"),
});

const signupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/signup",
  staticData: { title: "Sign up" },
  validateSearch: validateNextSearch,
  component: lazyPage(() => import("./routes/signup.tsx"), "SignupPage"),
});

const loggedOutRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/logged-out",
  staticData: { title: "Logged out" },
  beforeLoad: loggedOutOnly,
  component: lazyPage(() => import("./routes/logged-out.tsx"), "LoggedOutPage"),
});

const passwordResetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/password-reset",
  staticData: { title: "Forgot your password?" },
  component: lazyPage(() => import("./routes/password-reset.tsx"), "PasswordResetPage"),
});

const passwordResetSentRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/password-reset/sent",
  staticData: { title: "Check your email" },
  component: lazyPage(() => import("./routes/password-reset-sent.tsx"), "PasswordResetSentPage"),
});

const passwordResetCompleteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/password-reset/complete",
  staticData: { title: "Password reset complete" },
  component: lazyPage(() => import("./routes/password-reset-complete.tsx"), "PasswordResetCompletePage"),
});

// The emailed link. main.tsx has already moved a real token into session storage and the address
// to /reset-password/set before the router starts, so this page normally sees only "set".
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reset-password/$token",
  staticData: { title: "Enter new password" },
  component: lazyPage(() => import("./routes/reset-password.tsx"), "ResetPasswordPage"),
});

const accountRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/account",
  beforeLoad: loginRequired,
  component: lazyPage(() => import("./features/account/account-layout.tsx"), "AccountLayout"),
});

const accountSettingsRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: "/",
  staticData: { title: "Account settings" },
  component: lazyPage(() => import("./routes/account-settings.tsx"), "AccountSettingsPage"),
});

const passwordChangeRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: "/password",
  staticData: { title: "Change password" },
  component: lazyPage(() => import("./routes/password-change.tsx"), "PasswordChangePage"),
});

const passwordChangeDoneRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: "/password/done",
  staticData: { title: "Password change successful" },
  component: lazyPage(() => import("./routes/password-change-done.tsx"), "PasswordChangeDonePage"),
});

const sessionsRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: "/sessions",
  staticData: { title: "Active sessions" },
  loader: ({ context }) => context.queryClient.ensureQueryData(trpc.auth.sessions.list.queryOptions()),
  component: lazyPage(() => import("./routes/sessions.tsx"), "SessionsPage"),
});

const routeTree = rootRoute.addChildren([
  homeRoute,
  loginRoute,
  signupRoute,
  loggedOutRoute,
  passwordResetRoute,
  passwordResetSentRoute,
  passwordResetCompleteRoute,
  resetPasswordRoute,
  accountRoute.addChildren([accountSettingsRoute, passwordChangeRoute, passwordChangeDoneRoute, sessionsRoute]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  // The query cache decides freshness; the router should not hold its own copy of loader data.
  defaultPreloadStaleTime: 0,
  defaultPendingComponent: PagePending,
  defaultErrorComponent: RouteErrorPage,
  scrollRestoration: true,
});

/**
 * After a move to another page (not the first load), focus goes to the page's `<main>`, so that
 * keyboard and screen-reader users start at the new page instead of the link they left, or nowhere
 * once that link or button is gone. A page that focused something of its own keeps it.
 */
function focusNewPage(): void {
  const leftFrom = focusedWhenLeaving;
  requestAnimationFrame(() => {
    const main = document.getElementById("main");
    const active = document.activeElement;
    if (main === null || (active !== null && active !== main && main.contains(active))) return;
    // Focus the user moved elsewhere while the page loaded (to the header's menu, say) stays theirs.
    if (active !== null && active !== document.body && active !== leftFrom && active.isConnected) return;
    main.focus({ preventScroll: true });
  });
}

/** What had the focus when the last move to another page began: the link or button that made it. */
let focusedWhenLeaving: Element | null = null;

router.subscribe("onBeforeNavigate", () => {
  focusedWhenLeaving = document.activeElement;
});

router.subscribe("onResolved", (event) => {
  if (event.fromLocation !== undefined && event.pathChanged) focusNewPage();
  // Every page gets its own title, so tabs, history and screen readers can tell pages apart.
  document.title = pageTitle(router.state.matches);
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
  interface StaticDataRouteOption {
    /** The page's title, shown as "<title> · tsbin". */
    title?: string;
  }
}

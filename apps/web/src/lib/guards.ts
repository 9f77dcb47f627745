import { redirect } from "@tanstack/react-router";
import type { AuthenticatedUser, CurrentUser } from "./current-user.ts";

/** What a guard reads from a route's `beforeLoad` arguments. */
export interface GuardArgs {
  context: { user: CurrentUser };
  location: { href: string };
}

/** Thrown by {@link staffRequired}; the router's error boundary shows the 403 page for it. */
export class ForbiddenError extends Error {
  override readonly name = "ForbiddenError";
  constructor() {
    super("You do not have permission to view this page.");
  }
}

/**
 * Django's `login_required` for a route's `beforeLoad`: sends the anonymous user to
 * `/login?next=<this page>` and narrows the route context's user for the routes below.
 * The server still checks every procedure; this only spares the user a page that cannot load.
 */
export function loginRequired({ context, location }: GuardArgs): { user: AuthenticatedUser } {
  if (!context.user.isAuthenticated) {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router redirects are thrown Responses
    throw redirect({ to: "/login", search: { next: location.href }, replace: true });
  }
  return { user: context.user };
}

/**
 * Django's `staff_member_required`: the anonymous user goes to log in, a logged-in user who is not
 * staff gets the 403 page.
 */
export function staffRequired(args: GuardArgs): { user: AuthenticatedUser } {
  const { user } = loginRequired(args);
  if (!user.isStaff) throw new ForbiddenError();
  return { user };
}

/**
 * For pages that report the end of a session ("You are logged out"): a logged-in visitor who typed
 * their address goes to the home page instead of reading something untrue.
 */
export function loggedOutOnly({ context }: GuardArgs): void {
  if (context.user.isAuthenticated) {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router redirects are thrown Responses
    throw redirect({ to: "/", replace: true });
  }
}

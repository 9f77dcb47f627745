import type { AppRouter } from "@tsbin/api/router";
import type { inferRouterOutputs } from "@trpc/server";

/** What `auth.me` answers: the logged-in user or the anonymous user (Django's `request.user`). */
export type CurrentUser = inferRouterOutputs<AppRouter>["auth"]["me"];

/** The logged-in user, as `auth.me`, `auth.login` and `auth.signup` return it. */
export type AuthenticatedUser = Extract<CurrentUser, { isAuthenticated: true }>;

/**
 * `auth.me`'s anonymous user, from auth-core's module of its own: auth-core's index would join the
 * login page's initial JavaScript.
 */
export { ANONYMOUS_USER } from "@tsbin/auth-core/user";

/** The name to greet a user by: the full name when there is one, else the username. */
export function displayName(user: Pick<AuthenticatedUser, "firstName" | "lastName" | "username">): string {
  const fullName = `${user.firstName} ${user.lastName}`.trim();
  return fullName === "" ? user.username : fullName;
}

import { hashKey } from "@tanstack/react-query";
import { ANONYMOUS_USER, type AuthenticatedUser } from "./current-user.ts";
import { queryClient, trpc } from "./trpc.ts";

function dropAllButCurrentUser(): void {
  const meHash = hashKey(trpc.auth.me.queryKey());
  queryClient.removeQueries({ predicate: (query) => query.queryHash !== meHash });
}

/** Whether the page currently believes someone is logged in. */
export function isLoggedIn(): boolean {
  return queryClient.getQueryData(trpc.auth.me.queryKey())?.isAuthenticated === true;
}

/**
 * Makes `user` the page's current user after a login or sign-up. Everything cached for the previous
 * user is dropped first, so nothing of theirs shows for a moment to the next one.
 */
export function replaceCurrentUser(user: AuthenticatedUser): void {
  dropAllButCurrentUser();
  queryClient.setQueryData(trpc.auth.me.queryKey(), user);
}

/**
 * Asks the server who the user is now, after anything that may have ended the session (logout, a
 * password reset, a revoked session), dropping everything cached for the previous user.
 */
export async function refreshCurrentUser(): Promise<void> {
  dropAllButCurrentUser();
  await queryClient.refetchQueries(trpc.auth.me.queryFilter());
}

/**
 * After the server has ended this browser's session (logout, "log out this device"): shows the
 * anonymous user at once, leaves the page with `leave`, and only then drops the previous user's cache
 * and confirms with the server. Dropping it first would make the page being left fetch its data
 * again, now without a session, and fail with 401 on the way out.
 */
export async function endCurrentSession(leave: () => Promise<void>): Promise<void> {
  queryClient.setQueryData(trpc.auth.me.queryKey(), ANONYMOUS_USER);
  await leave();
  await refreshCurrentUser();
}

import { hashKey } from "@tanstack/react-query";
import { ANONYMOUS_USER, type AuthenticatedUser } from "./current-user.ts";
import { dismissIdentityNotice } from "./identity-notice.ts";
import { queryClient, trpc } from "./trpc.ts";

let ownChanges = 0;

/** Whether this tab is itself changing who is logged in (see identity-watch.ts). */
export function isChangingUser(): boolean {
  return ownChanges > 0;
}

async function asOwnChange(work: () => Promise<void>): Promise<void> {
  ownChanges += 1;
  try {
    await work();
  } finally {
    ownChanges -= 1;
  }
}

/** Drops everything cached for the user the page showed (their sessions, ...). */
export function dropAllButCurrentUser(): void {
  const meHash = hashKey(trpc.auth.me.queryKey());
  queryClient.removeQueries({ predicate: (query) => query.queryHash !== meHash });
}

/**
 * Cancels an `auth.me` still on its way: asked before this tab's login or logout, its answer names
 * the previous user and would otherwise replace the one just set when it arrives.
 */
function forgetPendingAnswers(): void {
  void queryClient.cancelQueries(trpc.auth.me.queryFilter());
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
  ownChanges += 1;
  try {
    dismissIdentityNotice();
    dropAllButCurrentUser();
    forgetPendingAnswers();
    queryClient.setQueryData(trpc.auth.me.queryKey(), user);
  } finally {
    ownChanges -= 1;
  }
}

/**
 * Asks the server who the user is now, after anything that may have ended the session (logout, a
 * password reset, a revoked session), dropping everything cached for the previous user.
 */
export async function refreshCurrentUser(): Promise<void> {
  await asOwnChange(async () => {
    dropAllButCurrentUser();
    await queryClient.refetchQueries(trpc.auth.me.queryFilter());
  });
}

/**
 * After the server has ended this browser's session (logout, "log out this device"): shows the
 * anonymous user at once, leaves the page with `leave`, and only then drops the previous user's cache
 * and confirms with the server. Dropping it first would make the page being left fetch its data
 * again, now without a session, and fail with 401 on the way out.
 */
export async function endCurrentSession(leave: () => Promise<void>): Promise<void> {
  await asOwnChange(async () => {
    dismissIdentityNotice();
    forgetPendingAnswers();
    queryClient.setQueryData(trpc.auth.me.queryKey(), ANONYMOUS_USER);
    await leave();
    await refreshCurrentUser();
  });
}

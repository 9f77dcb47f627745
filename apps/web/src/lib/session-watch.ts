import type { QueryClient } from "@tanstack/react-query";
import { isUnauthorized } from "./trpc-error.ts";

/** What {@link watchForLostSession} needs to know about the app. */
export interface LostSessionWatch {
  queryClient: QueryClient;
  /** Whether the page currently believes someone is logged in. */
  isLoggedIn: () => boolean;
  /** Whether a failed mutation is the login itself, whose UNAUTHORIZED means a wrong password. */
  isLoginMutation: (mutationKey: readonly unknown[] | undefined) => boolean;
  /** Forgets the user (and their cached data) and re-runs the route guards. */
  onSessionLost: () => void;
}

/**
 * Notices when the session ends behind the page's back (logged out from another device, expired,
 * the account deactivated): the first call that answers UNAUTHORIZED while the page believes
 * someone is logged in hands over to `onSessionLost`. Returns a function that stops watching.
 */
export function watchForLostSession({
  queryClient,
  isLoggedIn,
  isLoginMutation,
  onSessionLost,
}: LostSessionWatch): () => void {
  function handle(error: unknown): void {
    if (isUnauthorized(error) && isLoggedIn()) onSessionLost();
  }
  const stopQueries = queryClient.getQueryCache().subscribe((event) => {
    if (event.type === "updated" && event.action.type === "error") handle(event.action.error);
  });
  const stopMutations = queryClient.getMutationCache().subscribe((event) => {
    if (event.type !== "updated" || event.action.type !== "error") return;
    if (isLoginMutation(event.mutation.options.mutationKey)) return;
    handle(event.action.error);
  });
  return () => {
    stopQueries();
    stopMutations();
  };
}

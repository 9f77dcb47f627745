import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useRef } from "react";
import { endCurrentSession } from "../../lib/auth-cache.ts";
import { describeApiError } from "../../lib/trpc-error.ts";
import { trpc } from "../../lib/trpc.ts";

/** What {@link useLogout} returns. */
export interface Logout {
  /**
   * Posts `auth.logout` (Django 5 logs out on POST only), forgets the user and shows the logged-out
   * page. A call while a logout is already under way does nothing.
   */
  logOut: () => Promise<void>;
  pending: boolean;
  /** Why the last attempt failed, or `null`. */
  error: string | null;
}

/** Logging out, from any button. */
export function useLogout(): Logout {
  const navigate = useNavigate();
  const mutation = useMutation(trpc.auth.logout.mutationOptions());
  // Not `mutation.isPending` alone: that is the last render's value, and a second choice of "Log out"
  // can come before React renders again, posting auth.logout twice.
  const underWay = useRef(false);

  async function logOutNow(): Promise<void> {
    try {
      await mutation.mutateAsync({});
    } catch {
      return;
    }
    await endCurrentSession(() => navigate({ to: "/logged-out", replace: true }));
  }

  return {
    logOut: async () => {
      if (underWay.current) return;
      underWay.current = true;
      try {
        await logOutNow();
      } finally {
        underWay.current = false;
      }
    },
    pending: mutation.isPending,
    error: mutation.isError ? describeApiError(mutation.error).message : null,
  };
}

import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { endCurrentSession } from "../../lib/auth-cache.ts";
import { describeApiError } from "../../lib/trpc-error.ts";
import { trpc } from "../../lib/trpc.ts";

/** What {@link useLogout} returns. */
export interface Logout {
  /** Posts `auth.logout` (Django 5 logs out on POST only), forgets the user and shows the logged-out page. */
  logOut: () => Promise<void>;
  pending: boolean;
  /** Why the last attempt failed, or `null`. */
  error: string | null;
}

/** Logging out, from any button. */
export function useLogout(): Logout {
  const navigate = useNavigate();
  const mutation = useMutation(trpc.auth.logout.mutationOptions());
  return {
    logOut: async () => {
      try {
        await mutation.mutateAsync({});
      } catch {
        return;
      }
      await endCurrentSession(() => navigate({ to: "/logged-out", replace: true }));
    },
    pending: mutation.isPending,
    error: mutation.isError ? describeApiError(mutation.error).message : null,
  };
}

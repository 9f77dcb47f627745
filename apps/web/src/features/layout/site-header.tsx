import { useQuery } from "@tanstack/react-query";
import { Alert } from "@tsbin/ui/alert";
import type { ReactElement } from "react";
import { trpc } from "../../lib/trpc.ts";
import { useLogout } from "../auth/use-logout.ts";
import { AppLink } from "./app-link.tsx";
import { UserMenu } from "./user-menu.tsx";

/** The bar on every page: the site's name, and the user's menu or the links to log in and sign up. */
export function SiteHeader(): ReactElement {
  const me = useQuery(trpc.auth.me.queryOptions());
  const logout = useLogout();
  const user = me.data;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-16 max-w-5xl items-center justify-between gap-4 px-4 sm:px-6">
        <AppLink to="/" variant="quiet" className="flex items-center gap-2 text-lg font-semibold tracking-tight">
          <span
            aria-hidden="true"
            className="flex size-8 items-center justify-center rounded-md bg-slate-900 font-mono text-sm text-white"
          >
            {"{}"}
          </span>
          tsbin
        </AppLink>
        <nav aria-label="Account" className="flex items-center gap-2">
          {user?.isAuthenticated ? (
            <UserMenu user={user} onLogOut={() => void logout.logOut()} loggingOut={logout.pending} />
          ) : (
            <>
              <AppLink to="/login" variant="quiet" className="px-3 py-2 text-sm">
                Log in
              </AppLink>
              <AppLink to="/signup" variant="primary">
                Sign up
              </AppLink>
            </>
          )}
        </nav>
      </div>
      {logout.error && (
        <div className="mx-auto max-w-5xl px-4 pb-3 sm:px-6">
          <Alert tone="error" title="You are still logged in.">
            {logout.error}
          </Alert>
        </div>
      )}
    </header>
  );
}

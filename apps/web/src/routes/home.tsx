import { useQuery } from "@tanstack/react-query";
import type { ReactElement } from "react";
import { AppLink } from "../features/layout/app-link.tsx";
import { displayName } from "../lib/current-user.ts";
import { trpc } from "../lib/trpc.ts";

/** The landing page: what tsbin is, and the next step for the visitor or the logged-in user. */
export function HomePage(): ReactElement {
  const me = useQuery(trpc.auth.me.queryOptions());
  const user = me.data;
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-6 px-4 py-16 sm:px-6 sm:py-24">
      {/* A name can be one long word (an email address as username): it wraps, not the page. */}
      <h1 className="max-w-2xl text-4xl font-semibold tracking-tight wrap-anywhere text-slate-900 sm:text-5xl">
        {user?.isAuthenticated ? (
          // Isolated: a bidi control in the name (U+202E) would otherwise reverse the text around it.
          <>
            Welcome, <bdi>{displayName(user)}</bdi>.
          </>
        ) : (
          "Accounts that work like Django’s."
        )}
      </h1>
      <p className="max-w-2xl text-lg text-slate-600">
        tsbin is the account side of a pastebin, built like Django’s: sign up, log in, reset a forgotten password, and
        see every device that is logged in to your account. Pasting code is not open yet.
      </p>
      <div className="flex flex-wrap gap-3">
        {user?.isAuthenticated ? (
          <>
            <AppLink to="/account" variant="primary">
              Account settings
            </AppLink>
            <AppLink to="/account/sessions" variant="secondary">
              Active sessions
            </AppLink>
          </>
        ) : (
          <>
            <AppLink to="/signup" variant="primary">
              Create an account
            </AppLink>
            <AppLink to="/login" variant="secondary">
              Log in
            </AppLink>
          </>
        )}
      </div>
    </div>
  );
}

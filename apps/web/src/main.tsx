import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { hashKey } from "@tanstack/react-query";
import { dropAllButCurrentUser, isChangingUser, isLoggedIn } from "./lib/auth-cache.ts";
import { describeIdentityChange } from "./lib/describe-identity-change.tsx";
import { announceIdentityChange } from "./lib/identity-notice.ts";
import { watchIdentity } from "./lib/identity-watch.ts";
import { captureResetToken } from "./lib/reset-token.ts";
import { watchForLostSession } from "./lib/session-watch.ts";
import { queryClient, trpc } from "./lib/trpc.ts";
import { router } from "./router.tsx";
import "./styles.css";

// First of all, before the router starts or any route's code is fetched: the reset token must not
// stay in the address bar, the history or a Referer.
captureResetToken(window.location, window.history, window.sessionStorage);

function recheckCurrentUser(): void {
  void queryClient.refetchQueries(trpc.auth.me.queryFilter());
}

// A tab coming back to the front asks who is logged in: the session may have ended meanwhile.
queryClient.setQueryDefaults(trpc.auth.me.queryKey(), { refetchOnWindowFocus: "always" });

watchIdentity({
  queryClient,
  meQueryHash: hashKey(trpc.auth.me.queryKey()),
  isOwnChange: isChangingUser,
  channel: typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel("tsbin-identity"),
  recheck: recheckCurrentUser,
  onChange: (change) => {
    dropAllButCurrentUser();
    announceIdentityChange(describeIdentityChange(change));
    // The route guards run again: a page that needs a login sends the anonymous user to log in.
    void router.invalidate();
  },
});

const loginMutationKey = JSON.stringify(trpc.auth.login.mutationKey());
watchForLostSession({
  queryClient,
  isLoggedIn,
  isLoginMutation: (key) => JSON.stringify(key) === loginMutationKey,
  onSessionLost: recheckCurrentUser,
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);

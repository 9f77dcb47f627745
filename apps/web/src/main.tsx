import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { isLoggedIn, refreshCurrentUser } from "./lib/auth-cache.ts";
import { captureResetToken } from "./lib/reset-token.ts";
import { watchForLostSession } from "./lib/session-watch.ts";
import { queryClient, trpc } from "./lib/trpc.ts";
import { router } from "./router.tsx";
import "./styles.css";

// First of all, before the router starts or any route's code is fetched: the reset token must not
// stay in the address bar, the history or a Referer.
captureResetToken(window.location, window.history, window.sessionStorage);

const loginMutationKey = JSON.stringify(trpc.auth.login.mutationKey());
watchForLostSession({
  queryClient,
  isLoggedIn,
  isLoginMutation: (key) => JSON.stringify(key) === loginMutationKey,
  onSessionLost: () => {
    void refreshCurrentUser().then(() => router.invalidate());
  },
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

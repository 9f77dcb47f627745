import type { AppRouter } from "@tsbin/api/router";
import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import superjson from "superjson";

// networkMode "always": by default react-query pauses every request while the browser says it is
// offline, so a form or page would wait forever instead of saying the server cannot be reached.
// Trying anyway fails at once with the same message as a server that is down; retries stay as they
// are (one for queries, none for mutations), and queries still refetch when the connection returns.
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false, networkMode: "always" },
    mutations: { networkMode: "always" },
  },
});

export const trpcClient = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "/trpc", transformer: superjson })],
});

/** Typed query and mutation options for every procedure of the API. */
export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

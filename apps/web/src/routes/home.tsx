import { useQuery } from "@tanstack/react-query";
import { Button } from "@tsbin/ui/button";
import type { ReactElement } from "react";
import { trpc } from "../lib/trpc.ts";

export function HomePage(): ReactElement {
  const ping = useQuery(trpc.health.ping.queryOptions());
  return (
    <main className="mx-auto max-w-2xl p-6">
      <h1 className="text-3xl font-semibold">tsbin</h1>
      <p className="mt-2 text-slate-600">A pastebin on Django-style authentication, rebuilt in TypeScript.</p>
      <p className="mt-6" role="status" data-testid="api-status">
        {ping.isPending && "Checking the API…"}
        {ping.isError && `The API did not answer: ${ping.error.message}`}
        {ping.data && `API is up (answered at ${ping.data.time.toLocaleTimeString()}).`}
      </p>
      <Button className="mt-4" variant="secondary" pending={ping.isFetching} onClick={() => void ping.refetch()}>
        Check again
      </Button>
    </main>
  );
}

import { useRouter, type ErrorComponentProps } from "@tanstack/react-router";
import { Button } from "@tsbin/ui/button";
import type { ReactElement } from "react";
import { ForbiddenError } from "../../lib/guards.ts";
import { describeApiError } from "../../lib/trpc-error.ts";
import { ForbiddenPage } from "../../routes/forbidden.tsx";
import { PagePending } from "./page-pending.tsx";
import { StatusPage } from "./status-page.tsx";

export interface RouteErrorPageProps extends ErrorComponentProps {
  /** True when the app's frame itself failed to load, so there is no header around the page. */
  standalone?: boolean;
}

/**
 * What a route shows when its guard or data fails: the 403 page for a missing permission, and
 * otherwise the API's message with a way to try again.
 */
export function RouteErrorPage({ error, reset, standalone = false }: RouteErrorPageProps): ReactElement {
  const router = useRouter();
  if (error instanceof ForbiddenError) return <ForbiddenPage />;
  const info = describeApiError(error);
  if (info.code === "FORBIDDEN") return <ForbiddenPage />;
  // The session ended; the lost-session watch is already sending the user to the login page.
  if (info.code === "UNAUTHORIZED") return <PagePending />;
  const page = (
    <StatusPage
      title="This page could not be loaded"
      actions={
        <Button
          onClick={() => {
            reset();
            void router.invalidate();
          }}
        >
          Try again
        </Button>
      }
    >
      <p>{info.message}</p>
    </StatusPage>
  );
  return standalone ? <main className="min-h-dvh">{page}</main> : page;
}

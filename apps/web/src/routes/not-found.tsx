import type { ReactElement } from "react";
import { AppLink } from "../features/layout/app-link.tsx";
import { StatusPage } from "../features/layout/status-page.tsx";

/** The 404 page, for any address that is not a page of the app. */
export function NotFoundPage(): ReactElement {
  return (
    <StatusPage
      status="404"
      title="Page not found"
      actions={
        <AppLink to="/" variant="primary">
          Go to the home page
        </AppLink>
      }
    >
      <p>There is nothing at this address. If you followed a link, it may be mistyped or out of date.</p>
    </StatusPage>
  );
}

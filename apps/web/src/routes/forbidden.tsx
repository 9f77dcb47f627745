import type { ReactElement } from "react";
import { AppLink } from "../features/layout/app-link.tsx";
import { StatusPage } from "../features/layout/status-page.tsx";

/** The 403 page: the user is logged in but may not see this page. */
export function ForbiddenPage(): ReactElement {
  return (
    <StatusPage
      status="403"
      title="Permission denied"
      actions={
        <>
          <AppLink to="/" variant="primary">
            Go to the home page
          </AppLink>
          <AppLink to="/login" variant="secondary">
            Log in as someone else
          </AppLink>
        </>
      }
    >
      <p>Your account does not have permission to view this page. If you think it should, ask a site administrator.</p>
    </StatusPage>
  );
}

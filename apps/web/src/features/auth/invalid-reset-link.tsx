import { Card } from "@tsbin/ui/card";
import type { ReactElement } from "react";
import { AppLink } from "../layout/app-link.tsx";
import { CenteredPage } from "../layout/centered-page.tsx";
import { usePageTitle } from "../layout/use-page-title.ts";

/** Django's "Password reset unsuccessful" page, for a used, expired, replaced or made-up reset link. */
export function InvalidResetLink(): ReactElement {
  // The route's title is the form's ("Enter new password"); this page replaces the form once the
  // link turns out to be bad, after the router has set it.
  usePageTitle("Password reset unsuccessful");
  return (
    <CenteredPage>
      <Card
        headingLevel={1}
        title="This link is invalid or has expired"
        // Django's words, plus what Django does not do: each new request cancels the links sent before it.
        description="The password reset link was invalid, possibly because it has already been used or has expired. Only the most recent link works: requesting a new password reset replaces any link sent before it. Please request a new password reset."
      >
        <div>
          <AppLink to="/password-reset" variant="primary">
            Request a new link
          </AppLink>
        </div>
      </Card>
    </CenteredPage>
  );
}

import { Card } from "@tsbin/ui/card";
import { useEffect, type ReactElement } from "react";
import { AppLink } from "../layout/app-link.tsx";
import { CenteredPage } from "../layout/centered-page.tsx";

/** Django's "Password reset unsuccessful" page, for a used, expired or made-up reset link. */
export function InvalidResetLink(): ReactElement {
  // The route's title is the form's ("Enter new password"); this page replaces the form once the
  // link turns out to be bad, after the router has set it.
  useEffect(() => {
    document.title = "Password reset unsuccessful · tsbin";
  }, []);
  return (
    <CenteredPage>
      <Card
        headingLevel={1}
        title="This link is invalid or has expired"
        description="The password reset link was invalid, possibly because it has already been used or has expired. Please request a new password reset."
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

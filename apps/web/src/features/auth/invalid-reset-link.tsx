import { Card } from "@tsbin/ui/card";
import type { ReactElement } from "react";
import { AppLink } from "../layout/app-link.tsx";
import { CenteredPage } from "../layout/centered-page.tsx";

/** Django's "Password reset unsuccessful" page, for a used, expired or made-up reset link. */
export function InvalidResetLink(): ReactElement {
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

import { Card } from "@tsbin/ui/card";
import type { ReactElement } from "react";
import { AppLink } from "../features/layout/app-link.tsx";
import { CenteredPage } from "../features/layout/centered-page.tsx";

/** Django's PasswordResetCompleteView. */
export function PasswordResetCompletePage(): ReactElement {
  return (
    <CenteredPage>
      <Card
        headingLevel={1}
        title="Password reset complete"
        description="Your password has been set. Every device that was logged in to your account has been logged out. You may go ahead and log in now."
      >
        <div>
          <AppLink to="/login" variant="primary">
            Log in
          </AppLink>
        </div>
      </Card>
    </CenteredPage>
  );
}

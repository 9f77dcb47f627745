import { Card } from "@tsbin/ui/card";
import type { ReactElement } from "react";
import { AppLink } from "../features/layout/app-link.tsx";
import { CenteredPage } from "../features/layout/centered-page.tsx";

/** Django's `registration/logged_out.html`. */
export function LoggedOutPage(): ReactElement {
  return (
    <CenteredPage>
      <Card
        headingLevel={1}
        title="You are logged out"
        description="Thanks for spending some quality time with tsbin today."
      >
        <div>
          <AppLink to="/login" variant="primary">
            Log in again
          </AppLink>
        </div>
      </Card>
    </CenteredPage>
  );
}

import { Alert } from "@tsbin/ui/alert";
import { Card } from "@tsbin/ui/card";
import type { ReactElement } from "react";
import { AppLink } from "../features/layout/app-link.tsx";

/** Django's PasswordChangeDoneView. */
export function PasswordChangeDonePage(): ReactElement {
  return (
    <Card title="Password change successful">
      <Alert tone="success" title="Your password was changed.">
        You stay logged in here; every other device that was logged in to your account has been logged out.
      </Alert>
      <div className="flex flex-wrap gap-3">
        <AppLink to="/account" variant="primary">
          Back to your account
        </AppLink>
        <AppLink to="/account/sessions" variant="secondary">
          Active sessions
        </AppLink>
      </div>
    </Card>
  );
}

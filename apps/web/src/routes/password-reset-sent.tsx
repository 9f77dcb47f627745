import { Card } from "@tsbin/ui/card";
import type { ReactElement } from "react";
import { AppLink } from "../features/layout/app-link.tsx";
import { CenteredPage } from "../features/layout/centered-page.tsx";

/** Django's PasswordResetDoneView: the same words whether or not the address has an account. */
export function PasswordResetSentPage(): ReactElement {
  return (
    <CenteredPage>
      <Card headingLevel={1} title="Check your email">
        <div className="flex flex-col gap-3 text-sm text-slate-700">
          <p>
            We’ve emailed you instructions for setting your password, if an account exists with the email you entered.
            You should receive them shortly.
          </p>
          <p>
            If you don’t receive an email, please make sure you’ve entered the address you registered with, and check
            your spam folder.
          </p>
        </div>
        <div className="flex flex-wrap gap-3">
          <AppLink to="/login" variant="primary">
            Back to log in
          </AppLink>
          <AppLink to="/password-reset" variant="secondary">
            Try another address
          </AppLink>
        </div>
      </Card>
    </CenteredPage>
  );
}

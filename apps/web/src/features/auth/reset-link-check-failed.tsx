import { Alert } from "@tsbin/ui/alert";
import { Button } from "@tsbin/ui/button";
import { Card } from "@tsbin/ui/card";
import type { ReactElement } from "react";
import { AppLink } from "../layout/app-link.tsx";
import { CenteredPage } from "../layout/centered-page.tsx";
import { usePageTitle } from "../layout/use-page-title.ts";

export interface ResetLinkCheckFailedProps {
  /** Why the check failed (no connection, too many attempts). */
  message: string;
  /** Checks the link again. */
  onRetry: () => void;
  /** Whether that check is under way. */
  retrying: boolean;
}

/**
 * The reset page when the link could not be checked at all (the server was not reached, or too
 * many attempts): the link may still be good, so the way on is to check again or ask for a new one.
 */
export function ResetLinkCheckFailed({ message, onRetry, retrying }: ResetLinkCheckFailedProps): ReactElement {
  usePageTitle("The link could not be checked");
  return (
    <CenteredPage>
      <Card
        headingLevel={1}
        title="The link could not be checked"
        description="Your password reset link may still be good. Check it again in a moment, or request a new link."
      >
        <Alert tone="error">{message}</Alert>
        <div className="flex flex-wrap gap-3">
          <Button pending={retrying} onClick={onRetry}>
            Try again
          </Button>
          <AppLink to="/password-reset" variant="secondary">
            Request a new link
          </AppLink>
        </div>
      </Card>
    </CenteredPage>
  );
}

import { useNavigate } from "@tanstack/react-router";
import { Alert } from "@tsbin/ui/alert";
import { Anchor } from "@tsbin/ui/anchor";
import type { MouseEvent, ReactElement } from "react";

export interface AlreadyLoggedInProps {
  username: string;
  /** The login link's `next`, already vetted by `safeNextPath`, or `null`. */
  next: string | null;
}

/**
 * What the login page tells a visitor who is logged in already: who they are, the way on to the
 * page they were sent from, and that the form below switches accounts.
 *
 * Django's template says "Your account doesn't have access to this page" whenever a logged-in user
 * arrives with `next`, because its permission decorators send people to log in. Here only
 * loginRequired does, for the anonymous user (staffRequired shows the 403 page): a logged-in user
 * with `next` comes from a tab left on the login page, or a bookmark, and may simply go on.
 */
export function AlreadyLoggedIn({ username, next }: AlreadyLoggedInProps): ReactElement {
  const navigate = useNavigate();
  // A plain link, since `next` is a whole path with its query (AppLink wants a route); a plain click
  // moves within the app and replaces the login page in the history, as logging in does.
  const goOn = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (next === null || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void navigate({ href: next, replace: true });
  };
  return (
    <Alert
      tone="info"
      title={
        <>
          You are logged in as <bdi>{username}</bdi>.
        </>
      }
    >
      {next === null ? (
        "Log in below to switch accounts."
      ) : (
        <div className="flex flex-col items-start gap-3">
          <p>Continue to the page you were going to, or log in below with another account.</p>
          <Anchor href={next} variant="primary" onClick={goOn}>
            Continue
          </Anchor>
        </div>
      )}
    </Alert>
  );
}

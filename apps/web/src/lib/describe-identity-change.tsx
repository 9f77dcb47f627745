import type { ReactElement } from "react";
import type { IdentityChange } from "./identity-watch.ts";

/** The sentence a tab shows when it finds another user, or nobody, logged in. */
export function describeIdentityChange({ to, lastLoggedIn }: IdentityChange): ReactElement {
  if (!to.isAuthenticated) {
    return <>You were logged out, in another window or from another device. Log in again to go on.</>;
  }
  // Usernames are isolated (<bdi>): one in a right-to-left script would reorder the text after it.
  if (to.id === lastLoggedIn) {
    // The same person logged out and back in: nothing of another account is on the page.
    return (
      <>
        You logged in again as <bdi>{to.username}</bdi>, in another window.
      </>
    );
  }
  return (
    <>
      This browser is now logged in as <bdi>{to.username}</bdi>, from another window. The page now shows that account.
    </>
  );
}

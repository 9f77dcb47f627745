import { useNavigate } from "@tanstack/react-router";
import { Menu } from "@tsbin/ui/menu";
import { Spinner } from "@tsbin/ui/spinner";
import type { ReactElement } from "react";
import { avatarInitial } from "../../lib/avatar-initial.ts";
import { displayName, type AuthenticatedUser } from "../../lib/current-user.ts";

export interface UserMenuProps {
  user: AuthenticatedUser;
  /** Logs out; the header owns the logout state so it can report a failure. */
  onLogOut: () => void;
  /** A logout is under way: the menu says so, and "Log out" cannot be chosen again meanwhile. */
  loggingOut?: boolean;
}

/** The logged-in user's name in the header, opening their account links and "Log out". */
export function UserMenu({ user, onLogOut, loggingOut = false }: UserMenuProps): ReactElement {
  const navigate = useNavigate();
  const name = displayName(user);
  const go = (to: "/account" | "/account/password" | "/account/sessions") => (): void => {
    void navigate({ to });
  };
  // Names are isolated (<bdi>) wherever they show: a bidi control in one (U+202E) would otherwise
  // reverse the text around it.
  return (
    <Menu
      buttonAriaLabel={`Account menu for ${name}`}
      busy={loggingOut}
      label={
        loggingOut ? (
          // The menu closes when "Log out" is chosen: the button is where the wait shows.
          <>
            <span className="flex size-7 shrink-0 items-center justify-center text-blue-800">
              <Spinner />
            </span>
            <span>Logging out…</span>
          </>
        ) : (
          <>
            <span
              aria-hidden="true"
              className="flex size-7 shrink-0 items-center justify-center rounded-full bg-blue-100 text-xs font-semibold text-blue-800 uppercase"
            >
              {avatarInitial(user)}
            </span>
            <span className="hidden truncate sm:inline" data-testid="user-name">
              <bdi>{name}</bdi>
            </span>
          </>
        )
      }
      heading={
        <>
          Logged in as <bdi className="font-semibold text-slate-900">{user.username}</bdi>
        </>
      }
      items={[
        { id: "account", label: "Account settings", href: "/account", onSelect: go("/account") },
        { id: "password", label: "Change password", href: "/account/password", onSelect: go("/account/password") },
        { id: "sessions", label: "Active sessions", href: "/account/sessions", onSelect: go("/account/sessions") },
        {
          id: "logout",
          label: loggingOut ? "Logging out…" : "Log out",
          onSelect: onLogOut,
          separatorBefore: true,
          busy: loggingOut,
        },
      ]}
    />
  );
}

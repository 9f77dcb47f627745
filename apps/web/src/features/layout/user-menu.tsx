import { useNavigate } from "@tanstack/react-router";
import { Menu } from "@tsbin/ui/menu";
import type { ReactElement } from "react";
import { displayName, type AuthenticatedUser } from "../../lib/current-user.ts";

export interface UserMenuProps {
  user: AuthenticatedUser;
  /** Logs out; the header owns the logout state so it can report a failure. */
  onLogOut: () => void;
}

/** The logged-in user's name in the header, opening their account links and "Log out". */
export function UserMenu({ user, onLogOut }: UserMenuProps): ReactElement {
  const navigate = useNavigate();
  const name = displayName(user);
  const go = (to: "/account" | "/account/password" | "/account/sessions") => (): void => {
    void navigate({ to });
  };
  return (
    <Menu
      buttonAriaLabel={`Account menu for ${name}`}
      label={
        <>
          <span
            aria-hidden="true"
            className="flex size-7 shrink-0 items-center justify-center rounded-full bg-blue-100 text-xs font-semibold text-blue-800 uppercase"
          >
            {Array.from(name)[0]}
          </span>
          <span className="hidden truncate sm:inline" data-testid="user-name">
            {name}
          </span>
        </>
      }
      heading={
        <>
          Logged in as <span className="font-semibold text-slate-900">{user.username}</span>
        </>
      }
      items={[
        { id: "account", label: "Account settings", href: "/account", onSelect: go("/account") },
        { id: "password", label: "Change password", href: "/account/password", onSelect: go("/account/password") },
        { id: "sessions", label: "Active sessions", href: "/account/sessions", onSelect: go("/account/sessions") },
        { id: "logout", label: "Log out", onSelect: onLogOut, separatorBefore: true },
      ]}
    />
  );
}

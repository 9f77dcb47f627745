import { Outlet } from "@tanstack/react-router";
import type { ReactElement } from "react";
import { AppLink } from "../layout/app-link.tsx";
import { StatusHeadingLevel } from "../layout/heading-level.ts";

const TABS = [
  { to: "/account", label: "Profile", exact: true },
  { to: "/account/password", label: "Password", exact: false },
  { to: "/account/sessions", label: "Sessions", exact: false },
] as const;

/** The frame of the account pages: a heading and tabs for profile, password and sessions. */
export function AccountLayout(): ReactElement {
  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-semibold tracking-tight text-slate-900">Your account</h1>
      <nav aria-label="Account sections" className="-mt-2 border-b border-slate-200">
        <ul className="-mb-px flex gap-1 overflow-x-auto">
          {TABS.map((tab) => (
            <li key={tab.to}>
              <AppLink
                to={tab.to}
                variant="quiet"
                activeOptions={{ exact: tab.exact }}
                className="inline-block rounded-none border-b-2 border-transparent px-3 py-2.5 text-sm text-slate-600 aria-[current=page]:border-blue-700 aria-[current=page]:text-slate-900"
              >
                {tab.label}
              </AppLink>
            </li>
          ))}
        </ul>
      </nav>
      {/* "Your account" is the page's h1: a section that fails to load says so under it, in an h2. */}
      <StatusHeadingLevel value={2}>
        <Outlet />
      </StatusHeadingLevel>
    </div>
  );
}

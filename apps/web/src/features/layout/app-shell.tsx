import { Outlet } from "@tanstack/react-router";
import { Alert } from "@tsbin/ui/alert";
import type { ReactElement } from "react";
import { dismissIdentityNotice, useIdentityNotice } from "../../lib/identity-notice.ts";
import { SiteHeader } from "./site-header.tsx";

/** The frame of every page: header, the page itself, and a footer. */
export function AppShell(): ReactElement {
  const notice = useIdentityNotice();
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium focus:not-sr-only focus:absolute focus:top-3 focus:left-3 focus:z-30 focus:ring-2 focus:ring-blue-600"
      >
        Skip to content
      </a>
      <SiteHeader />
      <main id="main" tabIndex={-1} className="flex flex-1 flex-col outline-none">
        {notice.message && (
          <div className="mx-auto w-full max-w-5xl px-4 pt-4 sm:px-6">
            <Alert tone="warning">
              <span>{notice.message} </span>
              <button type="button" className="font-medium underline" onClick={dismissIdentityNotice}>
                Dismiss
              </button>
            </Alert>
          </div>
        )}
        {/* Keyed: a page rebuilt for another user keeps nothing, no form value, of the previous one. */}
        <Outlet key={notice.generation} />
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <p className="mx-auto max-w-5xl px-4 py-5 text-sm text-slate-500 sm:px-6">
          tsbin — a pastebin on Django-style accounts, in TypeScript.
        </p>
      </footer>
    </div>
  );
}

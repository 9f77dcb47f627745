import { Outlet } from "@tanstack/react-router";
import type { ReactElement } from "react";
import { SiteHeader } from "./site-header.tsx";

/** The frame of every page: header, the page itself, and a footer. */
export function AppShell(): ReactElement {
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
        <Outlet />
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <p className="mx-auto max-w-5xl px-4 py-5 text-sm text-slate-500 sm:px-6">
          tsbin — a pastebin on Django-style accounts, in TypeScript.
        </p>
      </footer>
    </div>
  );
}

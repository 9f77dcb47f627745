import type { ReactElement } from "react";

export function NotFoundPage(): ReactElement {
  return (
    <main className="mx-auto max-w-2xl p-6">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">There is nothing at this address.</p>
      <a className="mt-4 inline-block text-blue-700 underline" href="/">
        Back to the home page
      </a>
    </main>
  );
}

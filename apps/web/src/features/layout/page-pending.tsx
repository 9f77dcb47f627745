import { Spinner } from "@tsbin/ui/spinner";
import type { ReactElement } from "react";

/** Shown while a page's code or data loads (only when that takes more than a moment). */
export function PagePending(): ReactElement {
  return (
    <div className="flex flex-1 items-center justify-center p-16 text-slate-500">
      <Spinner size="md" label="Loading the page" />
    </div>
  );
}

import type { ReactElement, ReactNode } from "react";
import { useStatusHeadingLevel } from "./heading-level.ts";

export interface StatusPageProps {
  /** The HTTP-style status the page stands for, shown large (403, 404). */
  status?: string;
  title: string;
  children: ReactNode;
  /** Links or buttons for where to go next. */
  actions?: ReactNode;
}

/** The layout of the error pages: a status, a heading, an explanation and a way on. */
export function StatusPage({ status, title, children, actions }: StatusPageProps): ReactElement {
  const Heading = useStatusHeadingLevel() === 1 ? "h1" : "h2";
  return (
    <div className="mx-auto flex w-full max-w-lg flex-col items-start gap-4 px-4 py-16 sm:py-24">
      {status && <p className="font-mono text-sm font-semibold text-blue-700">{status}</p>}
      <Heading className={`font-semibold tracking-tight text-slate-900 ${Heading === "h1" ? "text-3xl" : "text-2xl"}`}>
        {title}
      </Heading>
      <div className="text-slate-600">{children}</div>
      {actions && <div className="mt-2 flex flex-wrap gap-3">{actions}</div>}
    </div>
  );
}

import type { ReactElement, ReactNode } from "react";

export interface CenteredPageProps {
  children: ReactNode;
}

/** A narrow column in the middle of the page, for single-card pages such as logging in. */
export function CenteredPage({ children }: CenteredPageProps): ReactElement {
  return <div className="mx-auto flex w-full max-w-md flex-col gap-6 px-4 py-10 sm:py-16">{children}</div>;
}

import type { ErrorComponentProps } from "@tanstack/react-router";
import type { ReactElement } from "react";
import { RouteErrorPage } from "./route-error-page.tsx";

/** What shows when the app's frame itself cannot load (the API did not say who the user is). */
export function RootErrorPage(props: ErrorComponentProps): ReactElement {
  return <RouteErrorPage {...props} standalone />;
}

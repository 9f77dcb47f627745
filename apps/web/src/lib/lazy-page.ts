import { lazyRouteComponent, type RouteComponent } from "@tanstack/react-router";
import type { ReactElement } from "react";

/** A page's code could not be downloaded (the server is down, or the connection dropped). */
export class PageCodeError extends Error {
  override readonly name = "PageCodeError";
  constructor(cause: unknown) {
    super("The page's code could not be downloaded.", { cause });
  }
}

/**
 * A route's page, downloaded when first needed. TanStack Router's `lazyRouteComponent` reloads the
 * whole document when a chunk fails to load, on the theory that a new deployment replaced it, which
 * is right when the server answers: the new index.html names the new chunks. During an outage the
 * reload swaps the app for the browser's own "This site can't be reached"; then the failure is
 * rethrown as an error of our own, which reaches the route's error page, whose "Try again"
 * downloads the chunk again.
 */
export function lazyPage<Name extends string>(
  importer: () => Promise<Record<Name, () => ReactElement>>,
  name: Name,
): RouteComponent {
  return lazyRouteComponent(
    () =>
      importer().catch(async (error: unknown) => {
        if (await serverAnswers()) throw error;
        throw new PageCodeError(error);
      }),
    name,
  );
}

async function serverAnswers(): Promise<boolean> {
  try {
    return (await fetch("/healthz", { cache: "no-store" })).ok;
  } catch {
    return false;
  }
}

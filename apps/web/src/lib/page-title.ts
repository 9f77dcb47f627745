import type { AnyRouteMatch } from "@tanstack/react-router";

/** The 404 page's title, for every address that is not a page of the app. */
const NOT_FOUND_TITLE = "Page not found";

/** What {@link pageTitle} reads of each of the router's matches. */
export type TitledMatch = Pick<AnyRouteMatch, "status" | "staticData" | "_notFound">;

/** A page's title as the browser shows it: "Log in · tsbin"; the site's name alone without one. */
export function formatPageTitle(title: string | undefined): string {
  return title ? `${title} · tsbin` : "tsbin";
}

/**
 * The document title for the router's matches: the deepest route's own title, or the 404 page's
 * when no route has the address. `/login/x` still matches `/login` (the router shows the 404 page
 * of the closest route that has one), so the deepest match's title would be "Log in": the match
 * the router marked as not found decides.
 */
export function pageTitle(matches: readonly TitledMatch[]): string {
  const notFound =
    matches.length === 0 || matches.some((match) => match._notFound === true || match.status === "notFound");
  const title = notFound
    ? NOT_FOUND_TITLE
    : matches.findLast((match) => match.staticData.title !== undefined)?.staticData.title;
  return formatPageTitle(title);
}

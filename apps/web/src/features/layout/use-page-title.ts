import { useEffect } from "react";
import { formatPageTitle } from "../../lib/page-title.ts";

/**
 * Titles a view that replaces its route's page after the router has set the route's title (a reset
 * link found bad, or not checked). When the view goes, the route's title comes back, unless
 * something else (the next page) has retitled the document meanwhile.
 */
export function usePageTitle(title: string): void {
  useEffect(() => {
    const previous = document.title;
    const own = formatPageTitle(title);
    document.title = own;
    return () => {
      if (document.title === own) document.title = previous;
    };
  }, [title]);
}

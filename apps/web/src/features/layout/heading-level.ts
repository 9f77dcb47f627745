import { createContext, useContext } from "react";

/**
 * The level of a status page's heading (an error, 403 or 404 shown in place of a page): 1 on its own,
 * 2 inside a layout that already has the page's `<h1>` ("Your account"), so a page keeps one `<h1>`.
 */
export const StatusHeadingLevel = createContext<1 | 2>(1);

export function useStatusHeadingLevel(): 1 | 2 {
  return useContext(StatusHeadingLevel);
}

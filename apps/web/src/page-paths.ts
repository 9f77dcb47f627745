/**
 * Every address the SPA has a page at, as the router writes its paths (`$name` is one segment).
 * The build writes them to `dist/page-paths.json`, so that the server answers any other address with
 * the app's 404 page and a 404 status, as Django does, not a 200. A test keeps this list and the
 * router's the same.
 */
export const PAGE_PATHS = [
  "/",
  "/login",
  "/signup",
  "/logged-out",
  "/password-reset",
  "/password-reset/sent",
  "/password-reset/complete",
  "/reset-password/$token",
  "/account",
  "/account/password",
  "/account/password/done",
  "/account/sessions",
] as const;

/** The file the build writes {@link PAGE_PATHS} to, beside index.html. */
export const PAGE_PATHS_FILE = "page-paths.json";

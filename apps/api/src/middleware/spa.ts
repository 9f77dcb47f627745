import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

const IMMUTABLE = "public, max-age=31536000, immutable";
/** Where Vite's build puts its hashed files (its `build.assetsDir`); no client route lives under it. */
const ASSETS_DIR = "assets";

/**
 * Serves the built SPA: hashed assets with a long cache, a 404 for a missing one, and `index.html`
 * for every other GET so that client routes (/login, /account) can be bookmarked and reloaded, with
 * a 404 status where the app has no page.
 */
export function spaRoutes(webDistDir: string): Hono {
  const spa = new Hono();
  const indexPath = path.join(webDistDir, "index.html");
  if (!existsSync(indexPath)) {
    spa.get("*", (c) => c.text("The web app is not built. Run `pnpm build` (or `pnpm start`, which builds it).", 503));
    return spa;
  }
  // Hashed asset names change with their content, so they may be cached for good; the HTML that
  // names them must be revalidated on every visit.
  spa.use("*", async function cacheHeaders(c, next) {
    await next();
    if (c.res.status !== 200) return;
    const html = c.res.headers.get("content-type")?.startsWith("text/html") ?? false;
    c.res.headers.set(
      "Cache-Control",
      html ? "no-cache" : c.req.path.startsWith(`/${ASSETS_DIR}/`) ? IMMUTABLE : "public, max-age=3600",
    );
  });
  spa.use("*", serveStatic({ root: webDistDir }));
  // A hashed asset that is not here is one an older build named (a tab opened before a redeploy
  // lazy-loading its old chunk): index.html in its place would fail as a script of the wrong MIME
  // type. A plain 404 fails cleanly, and is not kept, as the file may yet be deployed.
  spa.get(`/${ASSETS_DIR}/*`, (c) => {
    c.header("Cache-Control", "no-store");
    return c.text("Not found.", 404);
  });
  let indexHtml: Promise<string> | undefined;
  const isPage = pageMatcher(path.join(webDistDir, PAGE_PATHS_FILE));
  spa.get("*", async (c) => {
    indexHtml ??= readFile(indexPath, "utf8");
    // The app shows its own 404 page at any address it has no page for; the status says so too.
    return c.html(await indexHtml, isPage(c.req.path) ? 200 : 404);
  });
  return spa;
}

/** Written by the web build (apps/web/src/page-paths.ts): the router's page paths. */
const PAGE_PATHS_FILE = "page-paths.json";

/**
 * Whether a path is one of the SPA's pages: its paths as the router writes them, where `$name` is
 * one segment, with or without a trailing slash, in any case. A build without the file (an older one) has every
 * path count as a page, as before.
 */
function pageMatcher(file: string): (requestPath: string) => boolean {
  let patterns: RegExp[];
  try {
    const paths = JSON.parse(readFileSync(file, "utf8")) as unknown;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === "string")) throw new Error("not a list of paths");
    patterns = paths.map(pagePattern);
  } catch {
    return () => true;
  }
  return (requestPath) => patterns.some((pattern) => pattern.test(requestPath));
}

function pagePattern(pagePath: string): RegExp {
  const segments = pagePath
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => (segment.startsWith("$") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")));
  // The router matches paths regardless of case; so does this.
  return new RegExp(`^/${segments.join("/")}${segments.length > 0 ? "/?" : ""}$`, "iu");
}

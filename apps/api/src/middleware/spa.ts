import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

const IMMUTABLE = "public, max-age=31536000, immutable";
/** Where Vite's build puts its hashed files (its `build.assetsDir`); no client route lives under it. */
const ASSETS_DIR = "assets";

/**
 * Serves the built SPA: hashed assets with a long cache, a 404 for a missing one, and `index.html`
 * for every other GET so that client routes (/login, /u/alice) can be bookmarked and reloaded.
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
  spa.get("*", async (c) => {
    indexHtml ??= readFile(indexPath, "utf8");
    return c.html(await indexHtml);
  });
  return spa;
}

import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * Serves the built SPA: hashed assets with a long cache, and `index.html` for every other GET so
 * that client routes (/login, /u/alice) can be bookmarked and reloaded.
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
      html ? "no-cache" : c.req.path.startsWith("/assets/") ? IMMUTABLE : "public, max-age=3600",
    );
  });
  spa.use("*", serveStatic({ root: webDistDir }));
  let indexHtml: Promise<string> | undefined;
  spa.get("*", async (c) => {
    indexHtml ??= readFile(indexPath, "utf8");
    return c.html(await indexHtml);
  });
  return spa;
}

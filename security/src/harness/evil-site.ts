import http from "node:http";
import { freePort } from "./server-process.ts";

export interface EvilSite {
  /** http://localhost:<port>: a different site from http://127.0.0.1:<app port>. */
  origin: string;
  /** Serves `html` at `path` from now on. */
  page(path: string, html: string): string;
  close(): Promise<void>;
}

/** The attacker's web server of X5, on both loopback addresses so "localhost" resolves either way. */
export async function startEvilSite(): Promise<EvilSite> {
  const port = await freePort();
  const pages = new Map<string, string>();
  const handler: http.RequestListener = (req, res) => {
    const html = pages.get(req.url ?? "");
    res.writeHead(html === undefined ? 404 : 200, { "content-type": "text/html; charset=utf-8" });
    res.end(html ?? "not found");
  };
  const servers: http.Server[] = [];
  for (const host of ["127.0.0.1", "::1"]) {
    const server = http.createServer(handler);
    const listening = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, host, () => resolve(true));
    });
    if (listening) servers.push(server);
  }
  return {
    origin: `http://localhost:${port}`,
    page(path, html) {
      pages.set(path, html);
      return `http://localhost:${port}${path}`;
    },
    async close() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** Escapes text for an HTML attribute value. */
export function attr(value: string): string {
  return value.replace(/&/gu, "&amp;").replace(/"/gu, "&quot;").replace(/'/gu, "&#39;").replace(/</gu, "&lt;");
}

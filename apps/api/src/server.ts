import { getRequestListener } from "@hono/node-server";
import { createServer, type Server } from "node:http";

/**
 * Listens on `host:port`. "localhost" means both loopback addresses, so clients that resolve it to
 * ::1 and clients that resolve it to 127.0.0.1 both reach the server.
 */
/** Anything with a fetch handler, such as a Hono app. */
export interface FetchApp {
  fetch: Parameters<typeof getRequestListener>[0];
}

export async function listen(app: FetchApp, host: string, port: number): Promise<{ servers: Server[]; port: number }> {
  const listener = getRequestListener(app.fetch);
  const first = await listenOne(listener, host === "localhost" ? "127.0.0.1" : host, port);
  const boundPort = (first.address() as { port: number }).port;
  const servers = [first];
  if (host === "localhost") {
    // A machine without IPv6 has no ::1; serving 127.0.0.1 alone is then correct.
    const second = await listenOne(listener, "::1", boundPort).catch(() => undefined);
    if (second) servers.push(second);
  }
  return { servers, port: boundPort };
}

function listenOne(listener: ReturnType<typeof getRequestListener>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    // The listener returns a promise that handles its own errors; node:http ignores the return value.
    const server = createServer((req, res) => void listener(req, res));
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

/** How often idle keep-alive connections are closed while in-flight requests finish. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops accepting connections and resolves once every server has closed. Idle keep-alive
 * connections are closed at once, and again as requests finish (a client may keep its connection
 * after its answer); after `graceMs` the connections still busy are closed too, so that a client
 * that never finishes its request cannot keep the process alive.
 */
export async function closeServers(servers: readonly Server[], graceMs = Number.POSITIVE_INFINITY): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
          const deadline = Number.isFinite(graceMs)
            ? setTimeout(() => server.closeAllConnections(), graceMs)
            : undefined;
          server.close(() => {
            clearInterval(sweep);
            clearTimeout(deadline);
            resolve();
          });
          server.closeIdleConnections();
        }),
    ),
  );
}

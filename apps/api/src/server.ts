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

export async function closeServers(servers: readonly Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    ),
  );
}

import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/**
 * The client's address: the socket's, or with `trustProxy` the nearest `X-Forwarded-For` entry
 * (the one our own proxy appended; entries further left are whatever the client claimed).
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for");
    const nearest = forwarded?.split(",").at(-1)?.trim();
    if (nearest && nearest.length <= 64) return nearest;
  }
  try {
    return normalizeIp(getConnInfo(c).remote.address ?? "unknown");
  } catch {
    // Requests built in memory (app.request in tests) have no socket.
    return "unknown";
  }
}

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; one client, one key. */
function normalizeIp(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

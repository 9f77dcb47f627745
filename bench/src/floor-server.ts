/**
 * W0, the physical floor: a bare Hono app on @hono/node-server (the API's own HTTP stack) with two routes.
 * - `GET /bare` answers `{"ok":true}` and does nothing else.
 * - `GET /select` reads the session id from the `session` cookie, as the API does, and runs one
 *   primary-key SELECT on the sessions table with the API's driver: postgres.js with a pool of the
 *   API's size, or the embedded PGlite when the benchmark runs without DATABASE_URL.
 * With `FLOOR_WORKERS=N` (N > 1) it forks N node:cluster workers sharing the port, as the API's
 * `--workers N` does, so that floor and API are spread over processes the same way.
 */
import { serve } from "@hono/node-server";
import cluster from "node:cluster";
import { createDb } from "@tsbin/db";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import postgres from "postgres";

interface SessionRow {
  id: string;
  user_id: number;
  expires_at: Date;
}

const port = Number(process.env.FLOOR_PORT ?? 3990);
const workers = Number(process.env.FLOOR_WORKERS ?? 1);
const url = process.env.DATABASE_URL;
const pgliteDir = process.env.FLOOR_PGLITE_DIR;

async function openSelect(): Promise<(id: string) => Promise<SessionRow | undefined>> {
  if (url) {
    // The API's pool size (packages/db DEFAULT_POSTGRES.max).
    const sql = postgres(url, { max: 10, onnotice: () => undefined });
    return async (id) => (await sql<SessionRow[]>`select id, user_id, expires_at from sessions where id = ${id}`)[0];
  }
  if (!pgliteDir) throw new Error("floor-server: set DATABASE_URL or FLOOR_PGLITE_DIR");
  const handle = await createDb({ dataDir: pgliteDir });
  return async (id) =>
    (
      await handle.query<{ id: string; user_id: number; expires_at: Date }>(
        "select id, user_id, expires_at from sessions where id = $1",
        [id],
      )
    )[0];
}

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    cluster.on("exit", () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  });
} else {
  await serveFloor();
}

async function serveFloor(): Promise<void> {
  const select = await openSelect();
  const app = new Hono();
  app.get("/bare", (c) => c.json({ ok: true }));
  app.get("/select", async (c) => {
    const token = getCookie(c, "session") ?? "";
    const row = await select(token.slice(0, Math.max(0, token.indexOf("."))));
    return row ? c.json({ id: row.id, userId: row.user_id, expiresAt: row.expires_at }) : c.json(null, 404);
  });

  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

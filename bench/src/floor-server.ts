/**
 * W0, the physical floor: a bare Hono app on @hono/node-server (the API's own HTTP stack) with two routes.
 * - `GET /bare` answers `{"ok":true}` and does nothing else.
 * - `GET /select` reads the session id from the `session` cookie, as the API does, and runs one
 *   primary-key SELECT on the sessions table with the API's driver: postgres.js with a pool of the
 *   API's size, or the embedded PGlite when the benchmark runs without DATABASE_URL.
 * - `POST /login` is the least a login can do: read the user's password hash by username (one
 *   query), verify it with the preferred hasher (as many at once as cores, like the API), and write a
 *   session row (one insert) whose id it sets as a cookie. No rate limits, audit or validation: what
 *   W2 costs beyond this is the price of the API's own work, and what this costs beyond the raw hash
 *   limit is the price of HTTP and PostgreSQL sharing the cores with the hashing.
 * With `FLOOR_WORKERS=N` (N > 1) it forks N node:cluster workers sharing the port, as the API's
 * `--workers N` does, so that floor and API are spread over processes the same way.
 */
import { serve } from "@hono/node-server";
import { createHash, randomBytes } from "node:crypto";
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { usernameKey } from "@tsbin/auth-core";
import { createPasswordHasher } from "@tsbin/auth-core/server";
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

type Query = <T>(text: string, params: unknown[]) => Promise<T[]>;

async function openDatabase(): Promise<Query> {
  if (url) {
    // The API's pool size (packages/db DEFAULT_POSTGRES.max); statements prepared, as the API's are.
    const sql = postgres(url, { max: 10, onnotice: () => undefined });
    return async <T>(text: string, params: unknown[]) =>
      (await sql.unsafe(text, params as never[], { prepare: true })) as unknown as T[];
  }
  if (!pgliteDir) throw new Error("floor-server: set DATABASE_URL or FLOOR_PGLITE_DIR");
  const handle = await createDb({ dataDir: pgliteDir });
  return <T>(text: string, params: unknown[]) => handle.query<T & Record<string, unknown>>(text, params);
}

/** At most `slots` calls of `work` at once, like the API's password service. */
function limitConcurrency(slots: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

if (workers > 1 && !url) {
  // Each worker would open the data directory, and only the first gets its lock.
  throw new Error(
    "floor-server: FLOOR_WORKERS > 1 needs DATABASE_URL: the embedded database can be opened by one process only",
  );
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
  const query = await openDatabase();
  const hasher = createPasswordHasher();
  const hashing = limitConcurrency(availableParallelism());
  const app = new Hono();
  app.get("/bare", (c) => c.json({ ok: true }));
  app.get("/select", async (c) => {
    const token = getCookie(c, "session") ?? "";
    const [row] = await query<SessionRow>("select id, user_id, expires_at from sessions where id = $1", [
      token.slice(0, Math.max(0, token.indexOf("."))),
    ]);
    return row ? c.json({ id: row.id, userId: row.user_id, expiresAt: row.expires_at }) : c.json(null, 404);
  });
  app.post("/login", async (c) => {
    const body = await c.req.json<{ json?: { username?: unknown; password?: unknown } }>();
    const username = typeof body.json?.username === "string" ? body.json.username : "";
    const password = typeof body.json?.password === "string" ? body.json.password : "";
    const [user] = await query<{ id: number; password: string }>(
      "select id, password from users where username_key = $1",
      [usernameKey(username)],
    );
    const verified = user ? await hashing(() => hasher.verify(password, user.password)) : null;
    if (!user || !verified?.valid) return c.json({ ok: false }, 400);
    const id = randomBytes(16).toString("hex");
    const secret = randomBytes(32);
    await query(
      "insert into sessions (id, secret_hash, user_id, expires_at) values ($1, $2, $3, now() + interval '14 days')",
      [id, createHash("sha256").update(secret).digest(), user.id],
    );
    c.header("Set-Cookie", `session=${id}.${secret.toString("base64url")}; HttpOnly; Path=/; SameSite=Lax`);
    return c.json({ ok: true, userId: user.id });
  });

  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

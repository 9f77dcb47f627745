import { PGlite } from "@electric-sql/pglite";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDb } from "./client.ts";
import { DEFAULT_MIGRATIONS_FOLDER, migrateDatabase } from "./migrate.ts";
import { DatabaseUnreachableError } from "./postgres-first-contact.ts";
import { createTestDb } from "./testing.ts";

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A TCP server on 127.0.0.1 that does to each connection what `onConnection` says, never speaking PostgreSQL. */
async function fakeServer(onConnection: (socket: net.Socket) => void): Promise<string> {
  const server = net.createServer((socket) => {
    socket.on("error", () => undefined);
    sockets.add(socket);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return `postgres://postgres:secret@127.0.0.1:${port}/x`;
}

async function timeToFail(url: string): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await migrateDatabase({ url }, DEFAULT_MIGRATIONS_FOLDER, { connectTimeoutSeconds: 1 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

describe("migrateDatabase on a PostgreSQL server that does not answer", () => {
  it("gives up within the connect timeout when the host accepts connections and closes them without a word", async () => {
    // postgres.js reconnects to such a host at once and forever, restarting its own connect timeout each time.
    const url = await fakeServer((socket) => socket.once("data", () => socket.end()));
    const { error, ms } = await timeToFail(url);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toMatch(/^could not reach 127\.0\.0\.1:\d+ within 1 s/);
    expect((error as Error).message).not.toContain("secret");
    expect(ms).toBeLessThan(3_000);
  });

  it("gives up within the connect timeout when the host accepts connections and never answers", async () => {
    const url = await fakeServer(() => undefined);
    const { error, ms } = await timeToFail(url);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect(ms).toBeLessThan(3_000);
  });
});

describe("migrateDatabase's count of migrations applied", () => {
  it("is every committed migration on a new database, and 0 when none is pending", async () => {
    const journal = JSON.parse(readFileSync(path.join(DEFAULT_MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
      entries: unknown[];
    };
    const pglite = await PGlite.create();
    try {
      expect(await migrateDatabase({ pglite })).toBe(journal.entries.length);
      expect(await migrateDatabase({ pglite })).toBe(0);
    } finally {
      await pglite.close();
    }
  });

  it("is 0 on an up-to-date database, through the handle, on this run's driver", async () => {
    const db = await createTestDb();
    try {
      expect(await db.migrate()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it("is counted through the handle of an in-memory PGlite too", async () => {
    const handle = await createDb({ memory: true });
    try {
      expect(await handle.migrate()).toBeGreaterThan(0);
      expect(await handle.migrate()).toBe(0);
    } finally {
      await handle.close();
    }
  });
});

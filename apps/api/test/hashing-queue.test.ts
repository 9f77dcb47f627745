// The queue in front of password hashing, over real sockets: a full queue sheds new logins with 503
// and Retry-After, and a login whose client closes the connection while it waits is never hashed
// (nobody is left to answer) and logs nobody in. Hashing is held behind a gate so that the queue's
// state at each step is certain rather than a matter of timing.
import type { PasswordHasher } from "@tsbin/auth-core/server";
import http from "node:http";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PasswordService } from "../src/auth/password-service.ts";
import { signUp, startTestServer, uniqueLoopbackAddress, type SignedUp, type TestServer } from "./http-client.ts";

/** Opens the current test's gate: a test that fails while hashing is held must not leave logins hanging. */
let openBeforeClosing = (): void => undefined;

/** The server's hashing, one slot, with every check held until `open()`; what reached the hasher is kept. */
function holdHashing(server: TestServer, maxQueue: number) {
  const real = server.t.services.passwords.hasher;
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const hashed: string[] = [];
  const hasher: PasswordHasher = {
    ...real,
    verify: async (password, encoded) => {
      hashed.push(password);
      await opened;
      return real.verify(password, encoded);
    },
    dummyVerify: async () => {
      hashed.push("(no such account)");
      await opened;
      return real.dummyVerify();
    },
  };
  const signals: (AbortSignal | undefined)[] = [];
  // Keeps the signal each check was queued with, so a test can wait until the server has seen a close.
  class Watched extends PasswordService {
    override verify(password: string, encoded: string | null | undefined, signal?: AbortSignal) {
      signals.push(signal);
      return super.verify(password, encoded, signal);
    }
    override dummyVerify(signal?: AbortSignal) {
      signals.push(signal);
      return super.dummyVerify(signal);
    }
  }
  const service = new Watched({ hasher, concurrency: 1, maxQueue, helperThreadNiceness: 0 });
  server.t.services.passwords = service;
  openBeforeClosing = open;
  return { service, hashed, signals, open };
}

/** A login sent over its own connection, which the test can close before the answer comes. */
function loginToAbandon(server: TestServer, username: string, password: string) {
  const body = JSON.stringify({ json: { username, password } });
  const request = http.request({
    host: "127.0.0.1",
    port: server.port,
    method: "POST",
    path: "/trpc/auth.login",
    localAddress: uniqueLoopbackAddress(),
    agent: false,
    headers: {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      origin: server.url,
      "sec-fetch-site": "same-origin",
    },
  });
  const closed = new Promise<void>((resolve) => request.on("close", () => resolve()));
  request.on("error", () => undefined); // the test closes it: the error is the point
  request.end(body);
  return {
    abandon: async () => {
      request.destroy();
      await closed;
    },
  };
}

async function sessionsOf(server: TestServer, user: SignedUp): Promise<{ sessions: number; lastLogin: unknown }> {
  const [row] = await server.sql<{ sessions: number; last_login: unknown }>(
    "select (select count(*)::int from sessions where user_id = $1) as sessions, last_login from users where id = $1",
    [user.id],
  );
  return { sessions: row?.sessions ?? -1, lastLogin: row?.last_login };
}

describe.each([
  ["the fast mutation path", true],
  ["tRPC's fetch adapter", false],
])("the hashing queue, through %s", (_name, fastPaths) => {
  let server: TestServer;
  let alice: SignedUp;
  let bob: SignedUp;
  let carol: SignedUp;

  beforeEach(async () => {
    server = await startTestServer({}, { fastPaths });
    alice = await signUp(server, { password: "alice's own passphrase 1" });
    bob = await signUp(server, { password: "bob's own passphrase 22" });
    carol = await signUp(server, { password: "carol's own passphrase 333" });
  });

  afterEach(async () => {
    openBeforeClosing();
    await server.close();
  });

  it("does not hash a login whose client left while it waited, and logs nobody in for it", async () => {
    const hashing = holdHashing(server, 4);
    const bobBefore = await sessionsOf(server, bob);
    const aliceLogin = server.client().login(alice.username, alice.password);
    await vi.waitFor(() => expect(hashing.hashed).toEqual([alice.password]));

    const bobLogin = loginToAbandon(server, bob.username, bob.password);
    await vi.waitFor(() => expect(hashing.service.waiting).toBe(1));
    await bobLogin.abandon();
    // The server has seen the connection close once the signal the check waits with is aborted.
    await vi.waitFor(() => expect(hashing.signals[1]?.aborted).toBe(true), { timeout: 5_000 });

    hashing.open();
    expect((await aliceLogin).status).toBe(200);
    // The next login gets the slot, which the abandoned one gave up without hashing.
    const carolLogin = await server.client().login(carol.username, carol.password);
    expect(carolLogin.status).toBe(200);
    expect(hashing.hashed).toEqual([alice.password, carol.password]);
    expect(hashing.service.waiting).toBe(0);
    expect(await sessionsOf(server, bob)).toEqual(bobBefore);
  });

  it("does not hash the stand-in check of an unknown account whose client left", async () => {
    const hashing = holdHashing(server, 4);
    const aliceLogin = server.client().login(alice.username, alice.password);
    await vi.waitFor(() => expect(hashing.hashed).toHaveLength(1));

    const nobody = loginToAbandon(server, "no-such-user", "whatever password 123");
    await vi.waitFor(() => expect(hashing.service.waiting).toBe(1));
    await nobody.abandon();
    await vi.waitFor(() => expect(hashing.signals[1]?.aborted).toBe(true), { timeout: 5_000 });

    hashing.open();
    expect((await aliceLogin).status).toBe(200);
    expect((await server.client().login(carol.username, carol.password)).status).toBe(200);
    expect(hashing.hashed).toEqual([alice.password, carol.password]);
  });

  it("sheds a login with 503 and Retry-After when the queue is full, and serves the queued ones", async () => {
    const hashing = holdHashing(server, 1);
    const aliceLogin = server.client().login(alice.username, alice.password);
    await vi.waitFor(() => expect(hashing.hashed).toHaveLength(1));
    const bobLogin = server.client().login(bob.username, bob.password);
    await vi.waitFor(() => expect(hashing.service.waiting).toBe(1));

    const shed = await server.client().login(carol.username, carol.password);
    expect(shed.status).toBe(503);
    expect(shed.error?.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(shed.headers["retry-after"]).toBe("1");
    expect(shed.setCookies).toEqual([]);

    hashing.open();
    expect((await aliceLogin).status).toBe(200);
    expect((await bobLogin).status).toBe(200);
    expect((await server.client().login(carol.username, carol.password)).status).toBe(200);
  });
});

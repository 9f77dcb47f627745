// Requests that arrive together have their sessions checked by one statement (auth/session-lookup.ts):
// each must still get its own user, and a bad session among them must not borrow a good one's.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  forgedToken,
  ok,
  sessionIdOf,
  sessionToken,
  signUp,
  startTestServer,
  type SignedUp,
  type TestServer,
} from "./http-client.ts";

let server: TestServer;
let users: SignedUp[];
let inactive: SignedUp;
let expired: SignedUp;

beforeAll(async () => {
  server = await startTestServer();
  users = [];
  for (let i = 0; i < 6; i++) users.push(await signUp(server));
  inactive = await signUp(server);
  await server.sql("update users set is_active = false where id = $1", [inactive.id]);
  expired = await signUp(server);
  await server.sql("update sessions set expires_at = now() - interval '1 second' where user_id = $1", [expired.id]);
});

afterAll(async () => {
  await server.close();
});

interface Caller {
  cookie: string;
  /** The username the answer must name; null for the anonymous user. */
  expected: string | null;
}

function callers(): Caller[] {
  const good = users.map((user) => ({ cookie: `session=${sessionToken(user.client)}`, expected: user.username }));
  const [first] = users;
  if (!first) throw new Error("no users");
  // The first user's session id with a secret that is not its own.
  const stolenId = `${sessionIdOf(sessionToken(first.client))}.${forgedToken().split(".")[1]}`;
  return [
    ...good,
    { cookie: `session=${stolenId}`, expected: null },
    { cookie: `session=${forgedToken()}`, expected: null },
    { cookie: `session=${sessionToken(inactive.client)}`, expected: null },
    { cookie: `session=${sessionToken(expired.client)}`, expected: null },
    ...good.slice(0, 2),
  ];
}

async function whoIs(cookie: string): Promise<string | null> {
  const res = await server.t.app.request("/trpc/auth.me", { headers: { cookie } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { result: { data: { json: { isAuthenticated: boolean; username: string } } } };
  const me = body.result.data.json;
  return me.isAuthenticated ? me.username : null;
}

describe("session checks of requests that arrive together", () => {
  it("share one statement, and every request gets its own user or the anonymous user", async () => {
    const spy = vi.spyOn(server.t.database, "query");
    try {
      const all = callers();
      const answers = await Promise.all(all.map((caller) => whoIs(caller.cookie)));
      expect(answers).toEqual(all.map((caller) => caller.expected));
      const sessionChecks = spy.mock.calls.filter(([text]) => /from sessions s join users u/.test(text));
      expect(sessionChecks.length).toBe(1);
    } finally {
      spy.mockRestore();
    }
    // The expired session was deleted on the way, as a check of its own would have done.
    expect(await server.sql("select 1 from sessions where user_id = $1", [expired.id])).toEqual([]);
  });

  it("keep users apart over real connections, round after round", async () => {
    const all = callers().filter((caller) => caller.cookie !== `session=${sessionToken(expired.client)}`);
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        all.map(async (caller) => {
          const client = server.client();
          const [name, value] = caller.cookie.split("=") as [string, string];
          client.cookies.set(name, value);
          const me = ok(await client.query("auth.me"));
          return me.isAuthenticated ? me.username : null;
        }),
      );
      expect(answers).toEqual(all.map((caller) => caller.expected));
    }
  });
});

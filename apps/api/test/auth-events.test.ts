// The hooks (Django's auth signals): every sign-up, login, failed login, logout and password change
// writes an auth_events row with the client's IP and user agent, and never a password or a token;
// every user created has exactly one profile.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  logIn,
  readOutbox,
  sessionToken,
  signUp,
  startTestServer,
  waitForResetToken,
  type TestClient,
  type TestServer,
} from "./http-client.ts";

type EventRow = {
  type: string;
  user_id: number | null;
  username: string;
  ip_address: string;
  user_agent: string;
  detail: string;
};

let server: TestServer;
/** Every secret the tests send or receive; none may end up in auth_events. */
const secrets = new Set<string>();

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

async function eventsSince(id: number): Promise<EventRow[]> {
  return server.sql<EventRow>(
    "select type, user_id, username, ip_address, user_agent, detail from auth_events where id > $1 order by id",
    [id],
  );
}

async function lastEventId(): Promise<number> {
  const [row] = await server.sql<{ id: number | null }>("select max(id)::int as id from auth_events");
  return row?.id ?? 0;
}

function from(client: TestClient): { ip_address: string; user_agent: string } {
  return { ip_address: client.localAddress, user_agent: client.userAgent };
}

function remember(client: TestClient): void {
  const token = sessionToken(client);
  secrets.add(token);
  secrets.add(token.slice(token.indexOf(".") + 1));
}

describe("auth_events", () => {
  it("records a sign-up: the user's creation and the login that follows", async () => {
    const mark = await lastEventId();
    const alice = await signUp(server);
    secrets.add(alice.password);
    remember(alice.client);
    expect(await eventsSince(mark)).toEqual([
      { type: "userCreated", user_id: alice.id, username: alice.username, ...from(alice.client), detail: "" },
      { type: "userLoggedIn", user_id: alice.id, username: alice.username, ...from(alice.client), detail: "" },
    ]);
  });

  it("records logins, failed logins (of known and unknown names) and logouts", async () => {
    const alice = await signUp(server);
    secrets.add(alice.password);
    const laptop = server.client({ userAgent: "Laptop browser/1.0" });
    const mark = await lastEventId();

    expect((await laptop.login(alice.username, "wrong password one")).status).toBe(401);
    expect((await laptop.login("nobody-by-that-name", "wrong password two")).status).toBe(401);
    secrets.add("wrong password one");
    secrets.add("wrong password two");
    await logIn(laptop, alice.username, alice.password);
    remember(laptop);
    expect((await laptop.mutation("auth.logout", {})).status).toBe(200);

    expect(await eventsSince(mark)).toEqual([
      { type: "userLoginFailed", user_id: null, username: alice.username, ...from(laptop), detail: "" },
      { type: "userLoginFailed", user_id: null, username: "nobody-by-that-name", ...from(laptop), detail: "" },
      { type: "userLoggedIn", user_id: alice.id, username: alice.username, ...from(laptop), detail: "" },
      { type: "userLoggedOut", user_id: alice.id, username: alice.username, ...from(laptop), detail: "" },
    ]);
  });

  it("records password changes from the settings and by reset", async () => {
    const alice = await signUp(server);
    secrets.add(alice.password);
    remember(alice.client);
    let mark = await lastEventId();
    const change = await alice.client.mutation("auth.changePassword", {
      oldPassword: alice.password,
      newPassword: "changed in settings 123",
    });
    expect(change.status).toBe(200);
    secrets.add("changed in settings 123");
    expect(await eventsSince(mark)).toEqual([
      { type: "passwordChanged", user_id: alice.id, username: alice.username, ...from(alice.client), detail: "change" },
    ]);

    const requester = server.client();
    const seen = new Set((await readOutbox(server.dataDir)).map((m) => m.file));
    await requester.mutation("auth.requestPasswordReset", { email: alice.email });
    const { token } = await waitForResetToken(server.dataDir, alice.email, seen);
    secrets.add(token);
    secrets.add(token.slice(token.indexOf(".") + 1));
    mark = await lastEventId();
    const resetter = server.client();
    const reset = await resetter.mutation("auth.resetPassword", { token, newPassword: "set by reset link 456" });
    expect(reset.status).toBe(200);
    secrets.add("set by reset link 456");
    expect(await eventsSince(mark)).toEqual([
      { type: "passwordChanged", user_id: alice.id, username: alice.username, ...from(resetter), detail: "reset" },
    ]);
  });

  it("holds no password and no token in any column", async () => {
    expect(secrets.size).toBeGreaterThan(5);
    const rows = await server.sql<{ row: string }>("select e::text as row from auth_events e");
    const dump = rows.map((r) => r.row).join("\n");
    for (const secret of secrets) expect(dump).not.toContain(secret);
    // Nor does any other table hold a raw token or a password.
    for (const table of ["users", "sessions", "password_reset_tokens", "rate_limits", "profiles"]) {
      const tableRows = await server.sql<{ row: string }>(`select t::text as row from ${table} t`);
      const text = tableRows.map((r) => r.row).join("\n");
      for (const secret of secrets) expect(text, table).not.toContain(secret);
    }
  });
});

describe("profiles", () => {
  it("exist exactly once for every user, with Plain Text as the default language", async () => {
    await Promise.all(Array.from({ length: 5 }, () => signUp(server)));
    const rows = await server.sql<{ id: number; profiles: number; languages: string | null }>(
      `select u.id, count(p.id)::int as profiles, string_agg(l.name, ',') as languages
         from users u left join profiles p on p.user_id = u.id left join languages l on l.id = p.default_language_id
        group by u.id`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const row of rows) expect(row, `user ${row.id}`).toMatchObject({ profiles: 1, languages: "Plain Text" });
  });
});

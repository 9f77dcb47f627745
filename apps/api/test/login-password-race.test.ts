// C4, R6, S4: a login checked against a password that is reset, changed or deactivated while the hash is
// being checked starts no session. Otherwise whoever knows an old password could keep logging in
// through the owner's reset: the reset deletes the sessions it finds, and a login that is written
// just after it survives. The interleaving is made exact by running the other change right after the
// login's own verification, through the API.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  ok,
  readOutbox,
  signUp,
  startTestServer,
  waitForResetToken,
  type SignedUp,
  type TestClient,
  type TestServer,
} from "./http-client.ts";

const NEW_PASSWORD = "a brand new passphrase 77";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `meanwhile` after the next password verification has finished, before its login goes on. */
function afterNextVerification(meanwhile: () => Promise<void>): void {
  const passwords = server.t.services.passwords;
  const verify = passwords.verify.bind(passwords);
  vi.spyOn(passwords, "verify").mockImplementationOnce(async (...args) => {
    const result = await verify(...args);
    await meanwhile();
    return result;
  });
}

async function resetTokenOf(user: SignedUp): Promise<string> {
  const seen = new Set((await readOutbox(server.dataDir)).map((m) => m.file));
  ok(await server.client().mutation("auth.requestPasswordReset", { email: user.email }));
  return (await waitForResetToken(server.dataDir, user.email, seen)).token;
}

async function sessionsOf(userId: number): Promise<number> {
  return (await server.sql("select 1 from sessions where user_id = $1", [userId])).length;
}

async function isLoggedIn(client: TestClient): Promise<boolean> {
  return ok(await client.query("auth.me")).isAuthenticated;
}

describe("a login whose password changes while it is checked", () => {
  it("starts no session when a password reset lands meanwhile", async () => {
    const user = await signUp(server);
    const token = await resetTokenOf(user);
    afterNextVerification(async () => {
      ok(await server.client().mutation("auth.resetPassword", { token, newPassword: NEW_PASSWORD }));
    });

    const attacker = server.client();
    const login = await attacker.login(user.username, user.password);
    expect(login.status).toBe(401);
    expect(await isLoggedIn(attacker)).toBe(false);
    expect(await sessionsOf(user.id)).toBe(0);
    // The new password works; the old one does not.
    expect((await server.client().login(user.username, NEW_PASSWORD)).status).toBe(200);
    expect((await server.client().login(user.username, user.password)).status).toBe(401);
  });

  it("starts no session when the owner changes the password meanwhile, and keeps the owner's", async () => {
    const user = await signUp(server);
    afterNextVerification(async () => {
      const changed = await user.client.mutation("auth.changePassword", {
        oldPassword: user.password,
        newPassword: NEW_PASSWORD,
      });
      ok(changed);
    });

    const attacker = server.client();
    expect((await attacker.login(user.username, user.password)).status).toBe(401);
    expect(await isLoggedIn(attacker)).toBe(false);
    expect(await isLoggedIn(user.client)).toBe(true);
    expect(await sessionsOf(user.id)).toBe(1);
  });

  it("starts no session when the user is deactivated meanwhile", async () => {
    const user = await signUp(server);
    afterNextVerification(async () => {
      await server.sql("update users set is_active = false where id = $1", [user.id]);
    });

    const client = server.client();
    expect((await client.login(user.username, user.password)).status).toBe(401);
    expect(await isLoggedIn(client)).toBe(false);
    expect(await sessionsOf(user.id)).toBe(0);
  });

  it("logs in when nothing changed meanwhile, and ends the session the request came with", async () => {
    const user = await signUp(server);
    let checked = false;
    afterNextVerification(() => {
      checked = true;
      return Promise.resolve();
    });

    const client = user.client;
    expect((await client.login(user.username, user.password)).status).toBe(200);
    expect(checked).toBe(true);
    expect(await isLoggedIn(client)).toBe(true);
    // The sign-up's session was ended by the login; only the login's remains.
    expect(await sessionsOf(user.id)).toBe(1);
  });

  it("keeps the session the request came with when the login is refused for a change meanwhile", async () => {
    const user = await signUp(server);
    const token = await resetTokenOf(user);
    const other = await signUp(server);
    afterNextVerification(async () => {
      ok(await server.client().mutation("auth.resetPassword", { token, newPassword: NEW_PASSWORD }));
    });

    // Another user's login attempt from a logged-in browser: a refused login leaves that session alone.
    expect((await other.client.login(user.username, user.password)).status).toBe(401);
    expect(ok(await other.client.query("auth.me")).username).toBe(other.username);
  });
});

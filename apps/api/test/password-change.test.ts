// S4: a password change needs the old password, validates the new one, keeps the current session,
// ends every other session of the user, and tells the user by email.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  logIn,
  readOutbox,
  sessionToken,
  signUp,
  startTestServer,
  waitForEmail,
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

async function storedHash(userId: number): Promise<string> {
  const [row] = await server.sql<{ password: string }>("select password from users where id = $1", [userId]);
  return row?.password ?? "";
}

describe("auth.changePassword", () => {
  it("requires the old password: a wrong one is a field error on oldPassword and changes nothing", async () => {
    const alice = await signUp(server);
    const before = await storedHash(alice.id);
    const res = await alice.client.mutation("auth.changePassword", {
      oldPassword: "not my password",
      newPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(400);
    expect(res.error?.data.code).toBe("BAD_REQUEST");
    expect(res.error?.data.fieldErrors).toEqual({
      oldPassword: ["Your old password was entered incorrectly. Please enter it again."],
    });
    expect(await storedHash(alice.id)).toBe(before);
    expect(await alice.client.me()).toMatchObject({ isAuthenticated: true });
  });

  it("validates the new password with Django's validators, as a field error on newPassword", async () => {
    const alice = await signUp(server, { username: "validatedalice" });
    const before = await storedHash(alice.id);
    const cases: [string, string[]][] = [
      [
        "1234",
        [
          "This password is too short. It must contain at least 8 characters.",
          "This password is too common.",
          "This password is entirely numeric.",
        ],
      ],
      ["password", ["This password is too common."]],
      ["validatedalice", ["The password is too similar to the username."]],
    ];
    for (const [newPassword, messages] of cases) {
      const res = await alice.client.mutation("auth.changePassword", { oldPassword: alice.password, newPassword });
      expect(res.status, newPassword).toBe(400);
      expect(res.error?.data.fieldErrors?.["newPassword"], newPassword).toEqual(expect.arrayContaining(messages));
      expect(Object.keys(res.error?.data.fieldErrors ?? {})).toEqual(["newPassword"]);
    }
    expect(await storedHash(alice.id)).toBe(before);
  });

  it("keeps the current session, ends the user's other sessions, and leaves other users alone", async () => {
    const alice = await signUp(server);
    const phone = server.client();
    await logIn(phone, alice.username, alice.password);
    const bob = await signUp(server);
    const current = sessionToken(alice.client);

    const res = await alice.client.mutation("auth.changePassword", {
      oldPassword: alice.password,
      newPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true });

    expect(await alice.client.me()).toMatchObject({ isAuthenticated: true, id: alice.id });
    expect(sessionToken(alice.client)).toBe(current);
    expect(await phone.me()).toMatchObject({ isAuthenticated: false });
    expect((await phone.query("auth.sessions.list")).status).toBe(401);
    expect(await bob.client.me()).toMatchObject({ isAuthenticated: true, id: bob.id });
    const rows = await server.sql("select 1 from sessions where user_id = $1", [alice.id]);
    expect(rows.length).toBe(1);

    expect((await server.client().login(alice.username, alice.password)).status).toBe(401);
    expect((await server.client().login(alice.username, NEW_PASSWORD)).status).toBe(200);
  });

  it("sends a 'password changed' email to the user, without any secret in it", async () => {
    const alice = await signUp(server);
    const res = await alice.client.mutation("auth.changePassword", {
      oldPassword: alice.password,
      newPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    const message = await waitForEmail(
      server.dataDir,
      (m) => m.to.includes(alice.email) && /changed/iu.test(m.subject),
      "password-changed email",
    );
    expect(message.raw).not.toContain(NEW_PASSWORD);
    expect(message.raw).not.toContain(alice.password);
    expect(message.raw).not.toContain(sessionToken(alice.client));
    const toAlice = (await readOutbox(server.dataDir)).filter((m) => m.to.includes(alice.email));
    expect(toAlice.length).toBe(1);
  });

  it("allows at most 10 wrong old passwords per 15 minutes, also when they arrive in parallel", async () => {
    const alice = await signUp(server);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        alice.client.mutation("auth.changePassword", { oldPassword: `guess number ${i}`, newPassword: NEW_PASSWORD }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(10);
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    const limited = await alice.client.mutation("auth.changePassword", {
      oldPassword: alice.password,
      newPassword: NEW_PASSWORD,
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("needs a login", async () => {
    const res = await server.client().mutation("auth.changePassword", {
      oldPassword: "whatever it was",
      newPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(401);
  });
});

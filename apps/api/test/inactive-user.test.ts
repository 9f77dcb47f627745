// S8, E1: a deactivated (or deleted) user loses access at once and cannot log in, and the refusal
// looks exactly like a wrong password.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn, signUp, startTestServer, type TestServer } from "./http-client.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

describe("an inactive user", () => {
  it("loses every existing session at once", async () => {
    const alice = await signUp(server);
    const laptop = server.client();
    await logIn(laptop, alice.username, alice.password);

    await server.sql("update users set is_active = false where id = $1", [alice.id]);

    for (const client of [alice.client, laptop]) {
      expect(await client.me()).toMatchObject({ isAuthenticated: false, id: null });
      expect((await client.query("auth.sessions.list")).status).toBe(401);
      const change = await client.mutation("auth.changePassword", {
        oldPassword: alice.password,
        newPassword: "another horse battery staple",
      });
      expect(change.status).toBe(401);
    }
    const [user] = await server.sql<{ password: string }>("select password from users where id = $1", [alice.id]);
    expect(user?.password.startsWith("argon2$")).toBe(true);
  });

  it("has every session deleted, so reactivating the account does not bring them back", async () => {
    const alice = await signUp(server);
    const laptop = server.client();
    await logIn(laptop, alice.username, alice.password);
    const bob = await signUp(server);
    const count = async (id: number): Promise<number> =>
      (await server.sql<{ n: number }>("select count(*)::int as n from sessions where user_id = $1", [id]))[0]?.n ?? 0;
    expect(await count(alice.id)).toBe(2);

    await server.sql("update users set is_active = false where id = $1", [alice.id]);
    expect(await count(alice.id)).toBe(0);
    expect(await count(bob.id)).toBe(1);

    await server.sql("update users set is_active = true where id = $1", [alice.id]);
    for (const client of [alice.client, laptop]) {
      expect(await client.me()).toMatchObject({ isAuthenticated: false, id: null });
    }
    await logIn(laptop, alice.username, alice.password);
    expect(await laptop.me()).toMatchObject({ isAuthenticated: true, id: alice.id });
  });

  it("cannot log in, and gets the very answer a wrong password or an unknown user gets", async () => {
    const bob = await signUp(server);
    await server.sql("update users set is_active = false where id = $1", [bob.id]);
    const sessionsBefore = await server.sql("select id from sessions where user_id = $1", [bob.id]);

    const inactiveRight = await server.client().login(bob.username, bob.password);
    const inactiveWrong = await server.client().login(bob.username, "not the password");
    const unknown = await server.client().login("nobody-at-all", bob.password);
    const active = await signUp(server);
    const wrong = await server.client().login(active.username, "not the password");

    for (const res of [inactiveRight, inactiveWrong, unknown, wrong]) {
      expect(res.status).toBe(401);
      expect(res.setCookies).toEqual([]);
      expect(res.text).toBe(wrong.text);
    }
    expect(inactiveRight.error?.message).toBe(
      "Please enter a correct username and password. Note that both fields may be case-sensitive.",
    );
    expect(inactiveRight.text.toLowerCase()).not.toContain("inactive");
    expect(await server.sql("select id from sessions where user_id = $1", [bob.id])).toEqual(sessionsBefore);
  });
});

describe("a deleted user", () => {
  it("loses access: the session token no longer authenticates", async () => {
    const carol = await signUp(server);
    await server.sql("delete from profiles where user_id = $1", [carol.id]);
    await server.sql("delete from users where id = $1", [carol.id]);
    expect(await carol.client.me()).toMatchObject({ isAuthenticated: false });
    expect((await carol.client.query("auth.sessions.list")).status).toBe(401);
  });
});

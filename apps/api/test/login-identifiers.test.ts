// Logging in by username (case-insensitively, after NFKC) or by email address (case-insensitively);
// passwords are used exactly as typed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, startTestServer, type SignedUp, type TestServer } from "./http-client.ts";

let server: TestServer;
let alice: SignedUp;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server, {
    username: "Alice",
    email: "Alice.Smith@Example.COM",
    password: "Wonderland rabbit hole 1",
  });
});

afterAll(async () => {
  await server.close();
});

describe("login identifiers", () => {
  it.each([
    ["the username as registered", "Alice"],
    ["the username in lower case", "alice"],
    ["the username in upper case", "ALICE"],
    ["the username in full-width letters (NFKC)", "ＡＬＩＣＥ"],
    ["the email address as registered", "Alice.Smith@example.com"],
    ["the email address in lower case", "alice.smith@example.com"],
    ["the email address in upper case", "ALICE.SMITH@EXAMPLE.COM"],
    ["the username with spaces around it (Django strips them)", "  alice "],
    ["the email address with spaces around it", " alice.smith@example.com\t"],
  ])("finds the account by %s", async (_what, identifier) => {
    const client = server.client();
    const res = await client.login(identifier, "Wonderland rabbit hole 1");
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: alice.id, username: "Alice" });
    expect(await client.me()).toMatchObject({ id: alice.id, username: "Alice", email: "Alice.Smith@example.com" });
  });

  it("uses the password exactly as typed: no trimming, no case change, no normalisation", async () => {
    for (const password of [
      " Wonderland rabbit hole 1",
      "Wonderland rabbit hole 1 ",
      "wonderland rabbit hole 1",
      "WONDERLAND RABBIT HOLE 1",
      "Ｗonderland rabbit hole 1",
    ]) {
      const res = await server.client().login("alice", password);
      expect(res.status, JSON.stringify(password)).toBe(401);
    }
  });

  it("does not find the account by another address or a partial name", async () => {
    for (const identifier of ["alice.smith@example.org", "alice.smith", "Alice Smith"]) {
      const res = await server.client().login(identifier, "Wonderland rabbit hole 1");
      expect(res.status, identifier).toBe(401);
    }
  });

  it("prefers the account whose username is the identifier when an older pair names two accounts", async () => {
    // Migration 0004 refuses such a pair from every writer; one may still come from before it.
    const byEmail = await signUp(server, { username: "carolemail", email: "carol@example.com" });
    const byName = await signUp(server, { username: "carolname", email: "someone-else@example.com" });
    await server.sql("alter table users disable trigger users_login_identifiers_distinct");
    try {
      await server.sql("update users set username = $1, username_key = $2 where id = $3", [
        "carol@example.com",
        "carol@example.com",
        byName.id,
      ]);
    } finally {
      await server.sql("alter table users enable trigger users_login_identifiers_distinct");
    }
    const res = await server.client().login("carol@example.com", byName.password);
    expect(res.data).toMatchObject({ id: byName.id });
    expect(res.data?.id).not.toBe(byEmail.id);
  });
});

describe("no identifier names two accounts", () => {
  const TAKEN_AS_EMAIL = "A user with that email address already exists.";
  const TAKEN_AS_USERNAME = "A user with that username already exists.";

  it("refuses a username that is another user's email address, so the address still logs its owner in", async () => {
    const owner = await signUp(server, { username: "dana", email: "Dana@Example.com" });
    const attempt = await server.client().mutation("auth.signup", {
      username: "DANA@example.COM",
      email: "squatter@example.com",
      password: "squatting is not allowed 9",
    });
    expect(attempt.status).toBe(409);
    expect(attempt.error?.data.fieldErrors).toEqual({ username: [TAKEN_AS_EMAIL] });
    const login = await server.client().login("dana@example.com", owner.password);
    expect(login.data).toMatchObject({ id: owner.id });
  });

  it("refuses an email address that is another user's username, at sign-up and in the account settings", async () => {
    const owner = await signUp(server, { username: "erin@example.com", email: "erin.real@example.com" });
    const attempt = await server.client().mutation("auth.signup", {
      username: "erinsquatter",
      email: "Erin@Example.com",
      password: "squatting is not allowed 9",
    });
    expect(attempt.status).toBe(409);
    expect(attempt.error?.data.fieldErrors).toEqual({ email: [TAKEN_AS_USERNAME] });

    const other = await signUp(server);
    const change = await other.client.mutation("auth.updateAccount", {
      firstName: "",
      lastName: "",
      email: "ERIN@example.com",
      password: other.password,
    });
    expect(change.status).toBe(409);
    expect(change.error?.data.fieldErrors).toEqual({ email: [TAKEN_AS_USERNAME] });
    expect(await other.client.me()).toMatchObject({ email: other.email });
    const login = await server.client().login("erin@example.com", owner.password);
    expect(login.data).toMatchObject({ id: owner.id });
  });

  it("lets a user's username be their own email address, and other changes go through", async () => {
    const user = await signUp(server, { username: "fay@example.com", email: "Fay@example.com" });
    expect((await server.client().login("FAY@EXAMPLE.COM", user.password)).data).toMatchObject({ id: user.id });
    const rename = await user.client.mutation("auth.updateAccount", {
      firstName: "Fay",
      lastName: "Example",
      email: "fay@example.com",
      password: user.password,
    });
    expect(rename.status).toBe(200);
  });

  it("refuses the pair from plain SQL too, as a unique violation naming its own constraint", async () => {
    await signUp(server, { username: "gus", email: "gus@example.com" });
    await expect(
      server.sql("insert into users (username, username_key, password) values ($1, $2, '!x')", [
        "gus@example.com",
        "gus@example.com",
      ]),
    ).rejects.toMatchObject({ code: "23505" });
    const rows = await server.sql("select 1 from users where username_key = 'gus@example.com'");
    expect(rows).toEqual([]);
  });

  it("takes 10,000 users in one statement, as the benchmark seeds them, without filling the lock table", async () => {
    await server.sql(
      `insert into users (username, username_key, email, email_key, password)
       select 'bulk' || n, 'bulk' || n, 'bulk' || n || '@example.com', 'bulk' || n || '@example.com', '!x'
         from generate_series(1, 10000) as n`,
    );
    const [row] = await server.sql<{ n: number }>("select count(*)::int as n from users where username like 'bulk%'");
    expect(row?.n).toBe(10_000);
  });

  it("lets exactly one of two simultaneous sign-ups take an identifier, one as username, one as email", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const identifier = `race${i}@example.com`;
        const [asUsername, asEmail] = await Promise.all([
          server.client().mutation("auth.signup", {
            username: identifier,
            email: `race${i}.name@example.com`,
            password: "simultaneous sign-ups 42",
          }),
          server.client().mutation("auth.signup", {
            username: `race${i}mail`,
            email: identifier,
            password: "simultaneous sign-ups 42",
          }),
        ]);
        return [asUsername.status, asEmail.status].sort().join(",");
      }),
    );
    expect(outcomes).toEqual(Array.from({ length: 6 }, () => "200,409"));
  });
});

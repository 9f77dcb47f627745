// C1, Z4, Z5: sign-up reports every field error at once, refuses taken names and addresses with 409,
// survives races (the database constraint is the real guard), and ignores privileged extra keys.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ok, signUp, startTestServer, STRONG_PASSWORD, type TestServer, type TrpcResult } from "./http-client.ts";

const USERNAME_INVALID =
  "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.";
const USERNAME_TAKEN = "A user with that username already exists.";
const EMAIL_TAKEN = "A user with that email address already exists.";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

function signup(username: string, email: string, password = STRONG_PASSWORD): Promise<TrpcResult<unknown>> {
  // Each attempt from its own address: the per-IP sign-up limit is not what these tests are about.
  return server.client().mutation("auth.signup", { username, email, password });
}

async function countUsers(where: string, params: unknown[]): Promise<{ users: number; profiles: number }> {
  const [row] = await server.sql<{ users: number; profiles: number }>(
    `select count(distinct u.id)::int as users, count(p.id)::int as profiles
       from users u left join profiles p on p.user_id = u.id where ${where}`,
    params,
  );
  return row ?? { users: 0, profiles: 0 };
}

function expectOneWinner(results: TrpcResult<unknown>[], field: "username" | "email"): void {
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  expect(statuses.filter((s) => s >= 200 && s < 300).length).toBe(1);
  for (const res of results.filter((r) => r.status !== 200)) {
    expect(res.status).toBe(409);
    expect(res.error?.data.code).toBe("CONFLICT");
    expect(res.error?.data.fieldErrors?.[field]).toEqual([field === "username" ? USERNAME_TAKEN : EMAIL_TAKEN]);
  }
}

describe("the sign-up race", () => {
  it("lets exactly one of 40 parallel sign-ups of one username through; the rest get 409", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => signup("racer", `racer${i}@example.com`)));
    expectOneWinner(results, "username");
    expect(await countUsers("u.username_key = $1", ["racer"])).toEqual({ users: 1, profiles: 1 });
  });

  it("treats case and NFKC variants of a username as the same name", async () => {
    const variants = ["bob", "Bob", "BOB", "bOb", "ｂｏｂ", "ＢＯＢ", "Ｂob", "boB"];
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => signup(variants[i % variants.length] ?? "bob", `bob${i}@example.com`)),
    );
    expectOneWinner(results, "username");
    expect(await countUsers("u.username_key = $1", ["bob"])).toEqual({ users: 1, profiles: 1 });
  });

  it("lets exactly one of 30 parallel sign-ups with one email address through", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signup(`sharer${i}`, i % 2 === 0 ? "shared@example.com" : "SHARED@example.com"),
      ),
    );
    expectOneWinner(results, "email");
    expect(await countUsers("u.email_key = $1", ["shared@example.com"])).toEqual({ users: 1, profiles: 1 });
  });
});

describe("validation", () => {
  it("returns every field error at once, with Django's messages", async () => {
    const res = await signup("not a valid name!", "not-an-email", "1234");
    expect(res.status).toBe(400);
    expect(res.error?.data.code).toBe("BAD_REQUEST");
    expect(res.error?.data.fieldErrors).toEqual({
      username: [USERNAME_INVALID],
      email: ["Enter a valid email address."],
      password: [
        "This password is too short. It must contain at least 8 characters.",
        "This password is too common.",
        "This password is entirely numeric.",
      ],
    });
    expect(await countUsers("u.username = $1", ["not a valid name!"])).toEqual({ users: 0, profiles: 0 });
  });

  it("checks the password against the username and the email address", async () => {
    const res = await signup("sebastian", "sebastian@example.com", "sebastian1");
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors?.["password"]).toContain("The password is too similar to the username.");
  });

  it("checks the password against the username as it will be stored (NFKC), as Django does", async () => {
    const res = await signup("ｊｏｈｎｓｍｉｔｈ", "fullwidth-john@example.com", "johnsmith1");
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors?.["password"]).toContain("The password is too similar to the username.");
  });

  it("reports missing fields per field", async () => {
    const res = await server.client().postJson("auth.signup", {});
    expect(res.status).toBe(400);
    expect(Object.keys(res.error?.data.fieldErrors ?? {}).sort()).toEqual(["email", "password", "username"]);
  });

  it("reports the other fields' errors beside a password over the length cap", async () => {
    const res = await signup("bad name", "bad", "z".repeat(4097));
    expect(res.status).toBe(400);
    expect(res.error?.data.code).toBe("BAD_REQUEST");
    expect(res.error?.data.fieldErrors).toEqual({
      username: [USERNAME_INVALID],
      email: ["Enter a valid email address."],
      password: ["Password is too long (at most 4096 characters)."],
    });
  });

  it("takes a 150-character username whose comparison key is longer (ß folds to ss), and finds it by that key", async () => {
    const username = "ß".repeat(150);
    const created = await signup(username, "eszett@example.com");
    expect(created.status).toBe(200);
    expect((await server.client().login("ẞ".repeat(150), STRONG_PASSWORD)).status).toBe(200);
    const again = await signup("ss".repeat(150), "eszett2@example.com");
    expect(again.status).toBe(400);
    expect(again.error?.data.fieldErrors?.["username"]?.[0]).toMatch(/at most 150 characters/);
    const taken = await signup("ẞ".repeat(150), "eszett3@example.com");
    expect(taken.status).toBe(409);
  });

  it("strips spaces around the username, as Django's form does, at sign-up and at login", async () => {
    const created = await signup("  spaced  ", "spaced@example.com");
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ username: "spaced" });
    const login = await server.client().login(" spaced\t", STRONG_PASSWORD);
    expect(login.status).toBe(200);
    const blank = await signup("   ", "blank@example.com");
    expect(blank.error?.data.fieldErrors?.["username"]).toEqual(["This field is required."]);
  });

  it("tells a very long username or email the real limit, however long it is", async () => {
    const res = await signup("a".repeat(301), `${"b".repeat(600)}@example.com`, STRONG_PASSWORD);
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors).toEqual({
      username: ["Ensure this value has at most 150 characters (it has 301)."],
      email: ["Ensure this value has at most 254 characters (it has 612)."],
    });
  });

  it("reports the other fields' errors beside a field of the wrong type or with a NUL", async () => {
    const wrongType = await server.client().postJson("auth.signup", { username: 1, email: "bad", password: "1234" });
    expect(wrongType.status).toBe(400);
    expect(wrongType.error?.data.fieldErrors).toEqual({
      username: ["Enter a valid value."],
      email: ["Enter a valid email address."],
      password: [
        "This password is too short. It must contain at least 8 characters.",
        "This password is too common.",
        "This password is entirely numeric.",
      ],
    });
    const nul = await signup("bad\u0000name", "bad", STRONG_PASSWORD);
    expect(nul.error?.data.fieldErrors).toEqual({
      username: ["Null characters are not allowed."],
      email: ["Enter a valid email address."],
    });
  });

  it("lists a taken username and email beside the other fields' errors, in a 400", async () => {
    await signUp(server, { username: "alltaken", email: "alltaken@example.com" });
    const res = await signup("ALLTAKEN", "alltaken@EXAMPLE.com", "x");
    expect(res.status).toBe(400);
    expect(res.error?.data.code).toBe("BAD_REQUEST");
    expect(res.error?.data.fieldErrors).toEqual({
      username: [USERNAME_TAKEN],
      email: [EMAIL_TAKEN],
      password: ["This password is too short. It must contain at least 8 characters.", "This password is too common."],
    });

    const badName = await signup("all taken", "AllTaken@example.com");
    expect(badName.status).toBe(400);
    expect(badName.error?.data.fieldErrors).toEqual({ username: [USERNAME_INVALID], email: [EMAIL_TAKEN] });
    expect(await countUsers("u.email_key = $1", ["alltaken@example.com"])).toEqual({ users: 1, profiles: 1 });
  });

  it("does not look names up for input refused before the sign-up rate limit", async () => {
    // Refused by the input schema (here a NUL in the password), the request spends none of the
    // IP's sign-up budget, so it must not tell whether the username or the address is in use.
    await signUp(server, { username: "unprobed", email: "unprobed@example.com" });
    const res = await signup("unprobed", "unprobed@example.com", "pass\u0000word");
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors).toEqual({ password: ["Null characters are not allowed."] });
  });

  it("refuses a taken username with 409 and a message on the username field", async () => {
    await signUp(server, { username: "takenname" });
    const res = await signup("TakenName", "someone-new@example.com");
    expect(res.status).toBe(409);
    expect(res.error?.data.code).toBe("CONFLICT");
    expect(res.error?.data.fieldErrors).toEqual({ username: [USERNAME_TAKEN] });
  });

  it("refuses a taken email address with 409 and a message on the email field", async () => {
    await signUp(server, { email: "taken.address@example.com" });
    const res = await signup("brandnewname", "Taken.Address@EXAMPLE.com");
    expect(res.status).toBe(409);
    expect(res.error?.data.fieldErrors).toEqual({ email: [EMAIL_TAKEN] });
  });

  it("stores the username NFKC-normalised and the email with a lower-case domain", async () => {
    const res = await signup("ｗｉｄｅ", "Wide.Person@EXAMPLE.Org");
    const user = ok(res);
    expect(user).toMatchObject({ username: "wide", email: "Wide.Person@example.org" });
  });
});

describe("mass assignment", () => {
  it("ignores privileged and unknown keys: the new user is a plain active user", async () => {
    const body = `{"json":{
      "username":"sneaky","email":"sneaky@example.com","password":"${STRONG_PASSWORD}",
      "isStaff":true,"is_staff":true,"isSuperuser":true,"is_superuser":true,"isActive":false,"is_active":false,
      "id":424242,"userId":1,"passwordHash":"plain","date_joined":"2000-01-01","groups":[1],"permissions":["auth.add_user"],
      "emailVerified":true,"user":{"is_staff":true,"isStaff":true},
      "__proto__":{"isStaff":true,"isSuperuser":true},"constructor":{"prototype":{"isStaff":true}}
    }}`;
    const client = server.client();
    const res = await client.post("auth.signup", body);
    expect(res.status).toBe(200);
    const me = await client.me();
    expect(me).toMatchObject({
      isAuthenticated: true,
      username: "sneaky",
      isStaff: false,
      isSuperuser: false,
      isActive: true,
    });
    const [row] = await server.sql<{
      id: number;
      is_staff: boolean;
      is_superuser: boolean;
      is_active: boolean;
      password: string;
    }>("select id, is_staff, is_superuser, is_active, password from users where username = 'sneaky'");
    expect(row).toMatchObject({ is_staff: false, is_superuser: false, is_active: true });
    expect(row?.id).not.toBe(424242);
    expect(row?.password.startsWith("argon2$")).toBe(true);
    expect(await server.sql("select 1 from user_groups where user_id = $1", [row?.id])).toEqual([]);
    expect(await server.sql("select 1 from user_permissions where user_id = $1", [row?.id])).toEqual([]);
    // Nothing leaked onto Object.prototype in this process either (the server runs in it).
    expect(({} as Record<string, unknown>)["isStaff"]).toBeUndefined();
  });

  it("is not fooled by prototype keys in superjson's meta", async () => {
    const body = JSON.stringify({
      json: { username: "metauser", email: "metauser@example.com", password: STRONG_PASSWORD },
      meta: { values: { "__proto__.isStaff": ["undefined"] }, referentialEqualities: { username: ["__proto__.x"] } },
    });
    const res = await server.client().post("auth.signup", body);
    expect(res.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>)["isStaff"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
  });
});

describe("after sign-up", () => {
  it("answers with the time of the login it made, as auth.me shows it", async () => {
    const client = server.client();
    const before = Date.now();
    const user = ok(
      await client.mutation("auth.signup", {
        username: "stamped",
        email: "stamped@example.com",
        password: STRONG_PASSWORD,
      }),
    );
    expect(user.lastLogin).toBeInstanceOf(Date);
    expect(user.lastLogin?.getTime()).toBeGreaterThanOrEqual(before);
    expect(await client.me()).toMatchObject({ isAuthenticated: true, lastLogin: user.lastLogin });
  });

  it("is logged in, and has exactly one profile with the Plain Text default language", async () => {
    const alice = await signUp(server);
    expect(await alice.client.me()).toMatchObject({ isAuthenticated: true, id: alice.id });
    const profiles = await server.sql<{ name: string }>(
      "select l.name from profiles p join languages l on l.id = p.default_language_id where p.user_id = $1",
      [alice.id],
    );
    expect(profiles).toEqual([{ name: "Plain Text" }]);
  });
});

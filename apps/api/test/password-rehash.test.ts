// A2: a legacy or weak hash is upgraded to the preferred hasher on a successful login, and a failed
// login never rewrites it.
import { pbkdf2Sync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./http-client.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

/** Django's `pbkdf2_sha256$<iterations>$<salt>$<base64>`, computed here with node:crypto. */
function djangoPbkdf2(password: string, salt: string, iterations: number): string {
  const key = pbkdf2Sync(password, salt, iterations, 32, "sha256").toString("base64");
  return `pbkdf2_sha256$${iterations}$${salt}$${key}`;
}

/** Inserts a user the way an import from Django would: straight into the table, with its hash. */
async function insertUser(username: string, passwordHash: string): Promise<number> {
  const [row] = await server.sql<{ id: number }>(
    `insert into users (username, username_key, email, email_key, password)
     values ($1, $2, $3, $4, $5) returning id`,
    [
      username,
      username.toLowerCase(),
      `${username}@example.com`,
      `${username.toLowerCase()}@example.com`,
      passwordHash,
    ],
  );
  if (!row) throw new Error("insert returned no row");
  return row.id;
}

async function storedHash(id: number): Promise<string> {
  const [row] = await server.sql<{ password: string }>("select password from users where id = $1", [id]);
  return row?.password ?? "";
}

describe("rehash on login", () => {
  it("upgrades a low-iteration pbkdf2_sha256 hash to argon2 on a correct login, not on a wrong one", async () => {
    const legacy = djangoPbkdf2("lètmein 2011", "Tr0ub4dorAndSaltSalt22", 1);
    const id = await insertUser("legacypbkdf2", legacy);

    const wrong = await server.client().login("legacypbkdf2", "lètmein 2011z");
    expect(wrong.status).toBe(401);
    expect(await storedHash(id)).toBe(legacy);
    const blank = await server.client().postJson("auth.login", { username: "legacypbkdf2", password: "" });
    expect(blank.status).toBe(400);
    expect(await storedHash(id)).toBe(legacy);

    const right = await server.client().login("legacypbkdf2", "lètmein 2011");
    expect(right.status).toBe(200);
    const upgraded = await storedHash(id);
    expect(upgraded.startsWith("argon2$argon2id$")).toBe(true);

    // The new hash verifies the same password, and only that one.
    expect((await server.client().login("legacypbkdf2", "lètmein 2011")).status).toBe(200);
    expect((await server.client().login("legacypbkdf2", "lètmein 2011z")).status).toBe(401);
    expect(await storedHash(id)).toBe(upgraded);
  });

  it("upgrades Django's argon2i test vector (m=8, t=1, p=1) to argon2id", async () => {
    const vector = "argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q";
    const id = await insertUser("legacyargon2i", vector);
    expect((await server.client().login("legacyargon2i", "secreT")).status).toBe(401);
    expect(await storedHash(id)).toBe(vector);
    expect((await server.client().login("legacyargon2i", "secret")).status).toBe(200);
    expect((await storedHash(id)).startsWith("argon2$argon2id$")).toBe(true);
  });

  it("does not rehash an inactive user's password, even when it is right", async () => {
    const legacy = djangoPbkdf2("inactive legacy pass", "AnotherSaltOf22Chars00", 1);
    const id = await insertUser("legacyinactive", legacy);
    await server.sql("update users set is_active = false where id = $1", [id]);
    expect((await server.client().login("legacyinactive", "inactive legacy pass")).status).toBe(401);
    expect(await storedHash(id)).toBe(legacy);
  });
});

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

  it("prefers the account whose username is the identifier over one whose email address is", async () => {
    const byEmail = await signUp(server, { username: "carolemail", email: "carol@example.com" });
    const byName = await signUp(server, { username: "carol@example.com", email: "someone-else@example.com" });
    const res = await server.client().login("carol@example.com", byName.password);
    expect(res.data).toMatchObject({ id: byName.id });
    expect(res.data?.id).not.toBe(byEmail.id);
  });
});

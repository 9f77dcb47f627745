// Z1: deny by default. Every procedure declares how it is guarded; the public ones are an explicit
// list (a new public procedure is a visible decision); every other one refuses an anonymous caller.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgedToken, listProcedures, signUp, startTestServer, type TestServer } from "./http-client.ts";

/** Every procedure anyone may call. Adding one here is a reviewed decision. */
const PUBLIC_PROCEDURES = [
  "auth.checkResetToken",
  "auth.confirmPasswordReset",
  "auth.login",
  "auth.logout",
  "auth.me",
  "auth.requestPasswordReset",
  "auth.resetPassword",
  "auth.signup",
  "health.ping",
];

const ACCESS_KINDS = ["public", "login", "staff", "permission", "test"];

const procedures = listProcedures();

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

describe("the router", () => {
  it("has an access rule on every procedure", () => {
    expect(procedures.length).toBeGreaterThan(0);
    for (const procedure of procedures) {
      expect(ACCESS_KINDS, `${procedure.path} has no meta.access`).toContain(procedure.access);
    }
  });

  it("has exactly the reviewed list of public procedures", () => {
    const publicOnes = procedures.filter((p) => p.access === "public").map((p) => p.path);
    expect(publicOnes).toEqual(PUBLIC_PROCEDURES);
  });

  it("puts the session procedures behind a login", () => {
    const byPath = new Map(procedures.map((p) => [p.path, p.access]));
    for (const path of [
      "auth.changePassword",
      "auth.sessions.list",
      "auth.sessions.revoke",
      "auth.sessions.revokeOthers",
    ]) {
      expect(byPath.get(path), path).toBe("login");
    }
  });
});

describe("anonymous callers", () => {
  const guarded = procedures.filter((p) => p.access !== "public");

  it.each([
    ["no cookie", undefined],
    ["a forged cookie", `session=${forgedToken()}`],
    ["an empty cookie", "session="],
  ])("get 401 from every non-public procedure with %s", async (_what, cookie) => {
    expect(guarded.length).toBeGreaterThan(0);
    const client = server.client();
    for (const procedure of guarded) {
      const headers = { cookie };
      const res =
        procedure.type === "query"
          ? await client.request({ method: "GET", path: `/trpc/${procedure.path}`, headers })
          : await client.post(procedure.path, JSON.stringify({ json: {} }), { headers });
      expect(res.status, procedure.path).toBe(401);
      expect(res.text, procedure.path).toContain('"code":"UNAUTHORIZED"');
    }
  });

  it("reach every public procedure without a 401 or a 5xx", async () => {
    const client = server.client();
    for (const procedure of procedures.filter((p) => p.access === "public")) {
      const res =
        procedure.type === "query"
          ? await client.request({ method: "GET", path: `/trpc/${procedure.path}` })
          : await client.post(procedure.path, JSON.stringify({ json: {} }));
      expect(res.status, procedure.path).not.toBe(401);
      expect(res.status, procedure.path).toBeLessThan(500);
    }
  });
});

describe("logged-in users without privileges", () => {
  it("get 403 from staff-only and permission-guarded procedures", async () => {
    const alice = await signUp(server);
    for (const procedure of procedures.filter((p) => p.access !== "public" && p.access !== "login")) {
      const res =
        procedure.type === "query"
          ? await alice.client.request({ method: "GET", path: `/trpc/${procedure.path}` })
          : await alice.client.post(procedure.path, JSON.stringify({ json: {} }));
      expect(res.status, procedure.path).toBe(403);
    }
    expect(await alice.client.me()).toMatchObject({ isAuthenticated: true, isStaff: false, isSuperuser: false });
  });
});

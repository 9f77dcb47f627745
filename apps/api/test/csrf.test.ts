// X1–X4: mutations riding on the ambient cookie from another site are refused before any procedure
// runs; simple (preflight-free) content types are refused; mutations are never reachable by GET.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  listProcedures,
  parseSetCookie,
  signUp,
  startTestServer,
  type SignedUp,
  type TestServer,
} from "./http-client.ts";

const TRUSTED = "http://trusted.example";

let server: TestServer;
let user: SignedUp;

const mutations = listProcedures()
  .filter((procedure) => procedure.type === "mutation")
  .map((procedure) => procedure.path);

beforeAll(async () => {
  server = await startTestServer({ TRUSTED_ORIGINS: TRUSTED });
  user = await signUp(server);
});

afterAll(async () => {
  await server.close();
});

/** Everything a refused mutation must leave untouched ("DB diff = 0"). */
async function snapshot(): Promise<string> {
  const queries = [
    "select id, username, password, email, is_active, is_staff, is_superuser, first_name, last_name from users order by id",
    "select id, user_id from sessions order by id",
    "select id, user_id, used_at from password_reset_tokens order by id",
    "select id, user_id from profiles order by id",
    "select count(*)::int as events from auth_events",
  ];
  return JSON.stringify(await Promise.all(queries.map((q) => server.sql(q))));
}

const validInputs: Record<string, unknown> = {
  "auth.logout": {},
  "auth.changePassword": { oldPassword: "correct horse battery staple 42", newPassword: "stolen by csrf 12345" },
  "auth.sessions.revokeOthers": {},
};

function bodyFor(path: string): string {
  return JSON.stringify({ json: validInputs[path] ?? {} });
}

describe("cross-origin mutations", () => {
  it("lists the mutations it checks", () => {
    expect(mutations).toEqual(expect.arrayContaining(["auth.login", "auth.logout", "auth.changePassword"]));
  });

  const refusals: [string, (port: number) => Record<string, string | undefined>][] = [
    ["Origin: http://evil.example", () => ({ origin: "http://evil.example", "sec-fetch-site": undefined })],
    ["Origin: null", () => ({ origin: "null", "sec-fetch-site": undefined })],
    ["Sec-Fetch-Site: cross-site without Origin", () => ({ origin: undefined, "sec-fetch-site": "cross-site" })],
    [
      "Sec-Fetch-Site: cross-site with an evil Origin",
      () => ({ origin: "http://evil.example", "sec-fetch-site": "cross-site" }),
    ],
    [
      "a sibling origin on the same site (same-site is not same-origin)",
      (port) => ({ origin: `http://localhost:${port}`, "sec-fetch-site": "same-site" }),
    ],
    ["Sec-Fetch-Site: same-site from this very origin", () => ({ "sec-fetch-site": "same-site" })],
    ["a look-alike origin", () => ({ origin: "http://127.0.0.1.evil.example" })],
    [
      "a name that is the request's own Host but neither PUBLIC_URL nor trusted (DNS rebinding)",
      (port) => ({ origin: `http://rebound.example:${port}`, host: `rebound.example:${port}` }),
    ],
  ];

  it.each(refusals)(
    "refuses every mutation with 403 for %s, with no change in the database",
    async (_what, headers) => {
      const before = await snapshot();
      for (const path of mutations) {
        const res = await user.client.post(path, bodyFor(path), { headers: headers(server.port) });
        expect(res.status, path).toBe(403);
        expect(res.setCookies, path).toEqual([]);
      }
      expect(await snapshot()).toBe(before);
      expect(await user.client.me()).toMatchObject({ isAuthenticated: true, id: user.id });
    },
  );

  it("refuses a login from another site (login CSRF) without setting a cookie", async () => {
    const victim = server.client();
    const res = await victim.mutation(
      "auth.login",
      { username: user.username, password: user.password },
      { headers: { origin: "http://evil.example", "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" } },
    );
    expect(res.status).toBe(403);
    expect(res.setCookies.map(parseSetCookie).filter((c) => c.name === "session")).toEqual([]);
    expect(victim.cookies.size).toBe(0);
  });
});

describe("simple content types", () => {
  const bodies: [string, string, string][] = [
    ["text/plain", "text/plain;charset=UTF-8", bodyFor("auth.logout")],
    ["form-urlencoded", "application/x-www-form-urlencoded", `${encodeURIComponent(bodyFor("auth.logout"))}=`],
    [
      "multipart/form-data",
      "multipart/form-data; boundary=xyz",
      '--xyz\r\nContent-Disposition: form-data; name="json"\r\n\r\n{}\r\n--xyz--\r\n',
    ],
    ["text/xml", "text/xml", "<json/>"],
  ];

  it.each(bodies)("refuses %s with 415 even from this origin, and changes nothing", async (_what, type, body) => {
    const before = await snapshot();
    for (const path of mutations) {
      const res = await user.client.post(path, body, { headers: { "content-type": type } });
      expect(res.status, path).toBe(415);
    }
    expect(await snapshot()).toBe(before);
  });

  it.each(bodies)("refuses %s from another site", async (_what, type, body) => {
    const res = await user.client.post("auth.logout", body, {
      headers: { "content-type": type, origin: "http://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect([403, 415]).toContain(res.status);
    expect(await user.client.me()).toMatchObject({ isAuthenticated: true });
  });

  it("refuses a POST without a content type", async () => {
    const res = await user.client.request({ method: "POST", path: "/trpc/auth.logout", body: bodyFor("auth.logout") });
    expect(res.status).toBe(415);
  });
});

describe("allowed mutations", () => {
  it("accepts same-origin requests (Origin of this host, Sec-Fetch-Site: same-origin)", async () => {
    const alice = await signUp(server);
    const res = await alice.client.mutation("auth.sessions.revokeOthers", {});
    expect(res.status).toBe(200);
  });

  it("accepts requests with neither Origin nor Sec-Fetch-Site, as curl sends them", async () => {
    const alice = await signUp(server);
    const curl = server.client({ curl: true });
    const res = await curl.login(alice.username, alice.password);
    expect(res.status).toBe(200);
    expect(await curl.me()).toMatchObject({ id: alice.id });
    expect((await curl.mutation("auth.logout", {})).status).toBe(200);
  });

  it("accepts PUBLIC_URL and TRUSTED_ORIGINS as origins", async () => {
    const alice = await signUp(server);
    for (const origin of [server.t.env.publicUrl, TRUSTED]) {
      const res = await alice.client.mutation("auth.sessions.revokeOthers", {}, { headers: { origin } });
      expect(res.status, origin).toBe(200);
    }
  });

  it("accepts the request's own Host as origin when it is an IP address or localhost", async () => {
    const alice = await signUp(server);
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `192.0.2.10:3000`, `[::1]:8080`]) {
      const headers = { origin: `http://${host}`, host, "sec-fetch-site": "same-origin" };
      const res = await alice.client.mutation("auth.sessions.revokeOthers", {}, { headers });
      expect(res.status, host).toBe(200);
    }
  });

  it("accepts Sec-Fetch-Site: none (typed into the address bar, bookmarks)", async () => {
    const alice = await signUp(server);
    const res = await alice.client.mutation(
      "auth.sessions.revokeOthers",
      {},
      { headers: { "sec-fetch-site": "none" } },
    );
    expect(res.status).toBe(200);
  });
});

describe("state changes through GET", () => {
  it("answers every mutation sent as GET with 405 and changes nothing", async () => {
    const before = await snapshot();
    for (const path of mutations) {
      const input = encodeURIComponent(bodyFor(path));
      for (const url of [`/trpc/${path}?input=${input}`, `/trpc/${path}?input=${input}&_method=POST`]) {
        const res = await user.client.request({ method: "GET", path: url });
        expect(res.status, url).toBe(405);
      }
    }
    expect(await snapshot()).toBe(before);
    expect(await user.client.me()).toMatchObject({ isAuthenticated: true });
  });

  it("lets no query write anything", async () => {
    const queries = listProcedures()
      .filter((procedure) => procedure.type === "query")
      .map((procedure) => procedure.path);
    const before = await snapshot();
    for (const path of queries) {
      const res = await user.client.request({
        method: "GET",
        path: `/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: { token: "x" } }))}`,
      });
      expect(res.status, path).toBeLessThan(500);
    }
    expect(await snapshot()).toBe(before);
  });
});

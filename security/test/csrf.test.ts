import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useArea } from "../src/harness/area.ts";
import { launchBrowser, logInInBrowser, whoAmIInBrowser } from "../src/harness/browser.ts";
import { dbFingerprint } from "../src/harness/database.ts";
import { attr, startEvilSite } from "../src/harness/evil-site.ts";
import { REPO_ROOT } from "../src/harness/paths.ts";
import { inputFactories, newVictim } from "../src/harness/procedure-inputs.ts";
import { listProcedures } from "../src/harness/procedures.ts";
import { seedUser, sessionIdOf } from "../src/harness/seed.ts";
import { sleep } from "../src/harness/server-process.ts";

const area = useArea("csrf");
const factories = inputFactories(area);
const mutations = listProcedures().filter((procedure) => procedure.type === "mutation");
const queries = listProcedures().filter((procedure) => procedure.type === "query");
const EVIL = "http://evil.example";

function factoryFor(procedure: string): NonNullable<(typeof factories)[string]> {
  const factory = factories[procedure];
  if (!factory) throw new Error(`${procedure} is new: give it an input in procedure-inputs.ts and classify it`);
  return factory;
}

describe("X1 cross-origin mutations", () => {
  it("X1 every mutation of the router has a valid input to attack with", () => {
    expect(mutations.length).toBeGreaterThan(0);
    expect(mutations.map((m) => m.path).filter((p) => factories[p] === undefined)).toEqual([]);
  });

  for (const mutation of mutations) {
    it(`X1 ${mutation.path}: Origin evil.example and Origin null get 403 with no database change; the own origin works`, async () => {
      const victim = await newVictim(area);
      const input = await factoryFor(mutation.path)(victim);
      const before = await dbFingerprint(area.sql);
      for (const origin of [EVIL, "null"]) {
        const answer = await victim.client.mutation(mutation.path, input, {
          headers: { origin, "sec-fetch-site": undefined },
        });
        expect(answer.status, origin).toBe(403);
      }
      expect(await dbFingerprint(area.sql)).toEqual(before);
      const control = await victim.client.mutation(mutation.path, input);
      expect(control.status, control.body.slice(0, 200)).toBe(200);
    });
  }
});

describe("X2 simple-request CSRF", () => {
  function simpleBodies(input: unknown): { type: string; body: string }[] {
    const json = JSON.stringify({ json: input });
    const boundary = "----tsbinSecurityBoundary";
    return [
      { type: "application/x-www-form-urlencoded", body: `${encodeURIComponent(json)}=` },
      { type: "text/plain", body: json },
      {
        type: `multipart/form-data; boundary=${boundary}`,
        body: `--${boundary}\r\nContent-Disposition: form-data; name="json"\r\n\r\n${JSON.stringify(input)}\r\n--${boundary}--\r\n`,
      },
    ];
  }

  for (const mutation of mutations) {
    it(`X2 ${mutation.path}: form-urlencoded, text/plain and multipart posts from another site are refused`, async () => {
      const victim = await newVictim(area);
      const input = await factoryFor(mutation.path)(victim);
      const before = await dbFingerprint(area.sql);
      const headerSets = [
        { origin: EVIL, "sec-fetch-site": "cross-site" },
        { origin: undefined, "sec-fetch-site": "cross-site" },
        // Neither header, as a non-browser client: JSON is still required, so a form body cannot pass.
        { origin: undefined, "sec-fetch-site": undefined },
      ];
      for (const headers of headerSets) {
        for (const { type, body } of simpleBodies(input)) {
          const answer = await victim.client.mutation(mutation.path, input, {
            rawBody: body,
            headers: { ...headers, "content-type": type },
          });
          expect([403, 415], `${type} ${JSON.stringify(headers)}`).toContain(answer.status);
        }
      }
      expect(await dbFingerprint(area.sql)).toEqual(before);
    });
  }
});

describe("X3 Fetch-Metadata gaps and login CSRF", () => {
  it("X3 (a) a cross-site login (login CSRF) gets 403 and no Set-Cookie", async () => {
    const user = await seedUser(area.sql);
    const attackerBrowser = area.client();
    const answer = await attackerBrowser.mutation(
      "auth.login",
      { username: user.username, password: user.password },
      { headers: { origin: EVIL, "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" } },
    );
    expect(answer.status).toBe(403);
    expect(answer.setCookies).toEqual([]);
  });

  it("X3 (b) a same-site sibling origin (http://localhost:PORT) is not the app's origin: 403", async () => {
    const victim = await newVictim(area);
    const sibling = `http://localhost:${area.info.port}`;
    const before = await dbFingerprint(area.sql);
    for (const headers of [
      { origin: sibling, "sec-fetch-site": "same-site" },
      { origin: sibling, "sec-fetch-site": undefined },
      { origin: undefined, "sec-fetch-site": "same-site" },
    ]) {
      const answer = await victim.client.mutation(
        "auth.updateAccount",
        await factoryFor("auth.updateAccount")(victim),
        {
          headers,
        },
      );
      expect(answer.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await dbFingerprint(area.sql)).toEqual(before);
  });

  it("X3 (c) a JSON mutation with neither Origin nor Sec-Fetch-Site (curl) follows the documented policy: allowed", async () => {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8").replace(/\s+/gu, " ");
    expect(readme).toMatch(/Requests with neither header \(curl, servers\) are allowed/u);
    const victim = await newVictim(area);
    const answer = await victim.client.mutation("auth.updateAccount", await factoryFor("auth.updateAccount")(victim), {
      headers: { origin: undefined, "sec-fetch-site": undefined },
    });
    expect(answer.status).toBe(200);
  });
});

describe("X4 no state change through GET", () => {
  it("X4 every mutation sent as GET gets 405 (also with method-override hints) and changes nothing", async () => {
    const victim = await newVictim(area);
    for (const mutation of mutations) {
      const input = await factoryFor(mutation.path)(victim);
      const fingerprint = await dbFingerprint(area.sql);
      const query = `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
      for (const suffix of [query, `${query}&_method=POST`]) {
        const answer = await victim.client.request("GET", `/trpc/${mutation.path}${suffix}`, {
          headers: { "x-http-method-override": "POST" },
        });
        expect(answer.status, mutation.path).toBe(405);
      }
      expect(await dbFingerprint(area.sql), mutation.path).toEqual(fingerprint);
    }
  });

  it("X4 every query run with a cookie writes nothing (beyond sliding expiry); queries cannot be POSTed", async () => {
    const victim = await newVictim(area);
    for (const query of queries) {
      const input = await factoryFor(query.path)(victim);
      const before = await dbFingerprint(area.sql);
      const answer = await victim.client.query(query.path, input);
      expect(answer.status, query.path).toBe(200);
      expect(await dbFingerprint(area.sql), query.path).toEqual(before);
      const posted = await victim.client.mutation(query.path, input);
      expect(posted.status, `POST ${query.path}`).toBe(405);
    }
  });
});

describe("X5 cross-site attack in a real browser", () => {
  it("X5 forms, a no-cors fetch and an <img> on http://localhost:EVIL change nothing and log nobody out", async () => {
    const user = await seedUser(area.sql, { firstName: "Original" });
    const evil = await startEvilSite();
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      expect(await logInInBrowser(page, area.info.baseUrl, user.username, user.password)).toBe(200);
      const session = (await context.cookies(area.info.baseUrl)).find((c) => c.name === "session")?.value ?? "";
      expect(session).not.toBe("");
      const before = await dbFingerprint(area.sql);

      const base = area.info.baseUrl;
      const json = JSON.stringify({ json: { firstName: "Pwned", lastName: "ByEvil", email: user.email } });
      const autoSubmit = "<script>document.forms[0].submit()</script>";
      const pages = [
        evil.page(
          "/text-plain",
          `<form method="post" enctype="text/plain" action="${base}/trpc/auth.updateAccount"><input name="${attr(json.slice(0, -1))}" value="${attr("}")}"></form>${autoSubmit}`,
        ),
        evil.page(
          "/urlencoded",
          `<form method="post" action="${base}/trpc/auth.updateAccount"><input name="${attr(json)}" value=""></form>${autoSubmit}`,
        ),
        evil.page(
          "/multipart",
          `<form method="post" enctype="multipart/form-data" action="${base}/trpc/auth.updateAccount"><input name="json" value="${attr(JSON.stringify({ firstName: "Pwned", lastName: "ByEvil", email: user.email }))}"></form>${autoSubmit}`,
        ),
        evil.page(
          "/logout-form",
          `<form method="post" action="${base}/trpc/auth.logout"><input name="x" value="y"></form>${autoSubmit}`,
        ),
        evil.page(
          "/fetch",
          `<script>fetch(${JSON.stringify(`${base}/trpc/auth.updateAccount`)}, { method: "POST", mode: "no-cors", credentials: "include", body: ${JSON.stringify(json)} }).finally(() => { document.title = "sent"; });
           fetch(${JSON.stringify(`${base}/trpc/auth.logout`)}, { method: "POST", mode: "no-cors", credentials: "include", body: "{}" });</script>`,
        ),
        evil.page(
          "/img",
          `<img src="${base}/trpc/auth.logout"><img src="${base}/trpc/auth.logout?input=${encodeURIComponent(JSON.stringify({ json: {} }))}"><img src="${base}/trpc/auth.sessions.revokeOthers">`,
        ),
      ];
      for (const url of pages) {
        const attack = await context.newPage();
        await attack.goto(url);
        await attack.waitForLoadState("load");
        await sleep(500);
        await attack.close();
      }

      const [row] = await area.sql<{ first_name: string }[]>`select first_name from users where id = ${user.id}`;
      expect(row?.first_name).toBe("Original");
      expect(await dbFingerprint(area.sql)).toEqual(before);
      expect((await area.sql`select 1 from sessions where id = ${sessionIdOf(session)}`).length).toBe(1);
      const check = await context.newPage();
      expect((await whoAmIInBrowser(check, area.info.baseUrl)).id).toBe(user.id);
    } finally {
      await browser.close();
      await evil.close();
    }
  });
});

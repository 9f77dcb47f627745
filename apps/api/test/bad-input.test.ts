// V1–V4, S6: malformed envelopes, wrong types, NUL characters, over-long strings, huge bodies,
// unknown procedures, odd methods and broken cookies are answered with a 4xx, never a 5xx, and no
// response carries a stack trace or a file path.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  listProcedures,
  logIn,
  signUp,
  startTestServer,
  type HttpResult,
  type SignedUp,
  type TestClient,
  type TestServer,
} from "./http-client.ts";

const NUL_MESSAGE = "Null characters are not allowed.";
const INVALID_MESSAGE = "Enter a valid value.";
const REQUIRED_MESSAGE = "This field is required.";

/** A valid-looking input for every procedure that takes one; a new procedure must be added here. */
const SAMPLE_INPUTS: Record<string, Record<string, string>> = {
  "auth.login": { username: "someone", password: "some password" },
  "auth.signup": { username: "someone", email: "someone@example.com", password: "some long password" },
  "auth.changePassword": { oldPassword: "some password", newPassword: "another long password" },
  "auth.requestPasswordReset": { email: "someone@example.com" },
  "auth.resetPassword": { token: "x".repeat(65), newPassword: "another long password" },
  "auth.confirmPasswordReset": { token: "x".repeat(65), newPassword: "another long password" },
  "auth.checkResetToken": { token: "x".repeat(65) },
  "auth.sessions.revoke": { id: "x".repeat(32) },
  "auth.updateAccount": { firstName: "Some", lastName: "One", email: "someone@example.com" },
};
/** Procedures whose input is `{}` or nothing. */
const EMPTY_INPUTS = new Set(["auth.logout", "auth.sessions.revokeOthers"]);

const procedures = listProcedures();

let server: TestServer;
let user: SignedUp;
let client: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  user = await signUp(server);
  client = server.client();
  await logIn(client, user.username, user.password);
});

afterAll(async () => {
  await server.close();
});

function expectCleanError(res: HttpResult, what: string): void {
  expect(res.status, what).toBeGreaterThanOrEqual(400);
  expect(res.status, what).toBeLessThan(500);
  for (const leak of [/\n\s+at /u, /node_modules/u, /\/work\//u, /\.ts:\d/u, /\bselect\b.*\bfrom\b/iu, /"stack"/u]) {
    expect(res.text, `${what}: ${String(leak)}`).not.toMatch(leak);
  }
}

/** Sends a raw input (the text after `input=` or the POST body) to a procedure the way its type expects. */
function send(path: string, type: string, raw: string, viaClient: TestClient = client): Promise<HttpResult> {
  if (type === "query") {
    return viaClient.request({ method: "GET", path: `/trpc/${path}?input=${encodeURIComponent(raw)}` });
  }
  return viaClient.post(path, raw);
}

describe("every procedure", () => {
  it("has a sample input here, so that new procedures are fuzzed too", () => {
    for (const procedure of procedures.filter((p) => p.hasInput)) {
      expect(
        procedure.path in SAMPLE_INPUTS || EMPTY_INPUTS.has(procedure.path),
        `add ${procedure.path} to SAMPLE_INPUTS`,
      ).toBe(true);
    }
  });

  const envelopes = [
    "{",
    "[]",
    "null",
    '"x"',
    "42",
    "true",
    '{"json":{}}trailing',
    '{"foo":1}',
    '{"json":{},"extra":1}',
    `{"json":${"[".repeat(20_000)}${"]".repeat(20_000)}}`,
    '{"json":{},"meta":{"values":{"a":["class","Nope"]}}}',
  ];

  it.each(envelopes.map((body) => [body.slice(0, 40), body]))(
    "answers the malformed envelope %s with 400 where there is an input to read",
    async (_label, body) => {
      for (const procedure of procedures) {
        if (!procedure.hasInput) {
          // A procedure without an input never reads it (tRPC parses inputs lazily).
          expect((await send(procedure.path, procedure.type, body)).status).toBeLessThan(500);
          continue;
        }
        const res = await send(procedure.path, procedure.type, body);
        expectCleanError(res, `${procedure.path} ${body.slice(0, 20)}`);
        // A huge query string may be refused by the HTTP parser itself (431); a body never is.
        if (procedure.type === "mutation" || body.length < 1000) {
          expect(res.status, `${procedure.path} ${body.slice(0, 20)}`).toBe(400);
        }
      }
      expect(await client.me()).toMatchObject({ isAuthenticated: true });
    },
  );

  it("answers an input of the wrong type with 400", async () => {
    for (const procedure of procedures.filter((p) => p.hasInput)) {
      for (const input of [null, "x", 42, true, [], [{}]]) {
        const res = await send(procedure.path, procedure.type, JSON.stringify({ json: input }));
        expectCleanError(res, `${procedure.path} ${JSON.stringify(input)}`);
        expect(res.status, `${procedure.path} ${JSON.stringify(input)}`).toBe(400);
      }
    }
    expect(await client.me()).toMatchObject({ isAuthenticated: true });
  });

  it("says what to send when a form's input is missing or not an object, and when the body is not JSON", async () => {
    const shape = 'The input must be an object of fields, sent as {"json": {...}}.';
    for (const body of ["{}", '{"json":null}', '{"json":"x"}', '{"json":[]}']) {
      const res = await client.post("auth.login", body);
      expect(res.status, body).toBe(400);
      expect(res.error?.data.fieldErrors, body).toEqual({ _form: [shape] });
    }
    for (const body of ["not json", '{"json":', ""]) {
      const res = await client.post("auth.login", body);
      expect(res.status, body).toBe(400);
      expect(res.error?.message, body).toBe("The request body is not valid JSON.");
    }
  });

  it("answers unknown keys of an empty input with 400", async () => {
    for (const path of EMPTY_INPUTS) {
      const res = await client.post(path, JSON.stringify({ json: { everything: true } }));
      expect(res.status, path).toBe(400);
    }
    expect(await client.me()).toMatchObject({ isAuthenticated: true });
  });

  it("answers every field of the wrong type, missing, with a NUL or over-long with 400 naming the field", async () => {
    const bad: [string, unknown, string | undefined][] = [
      ["a number", 1, INVALID_MESSAGE],
      ["a boolean", true, INVALID_MESSAGE],
      ["null", null, REQUIRED_MESSAGE],
      ["an array", ["a"], INVALID_MESSAGE],
      ["an object", { $ne: "" }, INVALID_MESSAGE],
      ["2^64", 2 ** 64, INVALID_MESSAGE],
      ["a NUL character", "abc\u0000def", NUL_MESSAGE],
      ["100 000 characters", "x".repeat(100_000), undefined],
    ];
    for (const procedure of procedures.filter((p) => p.path in SAMPLE_INPUTS)) {
      const sample = SAMPLE_INPUTS[procedure.path] ?? {};
      for (const field of Object.keys(sample)) {
        for (const [what, value, message] of bad) {
          const raw = JSON.stringify({ json: { ...sample, [field]: value } });
          const res = await send(procedure.path, procedure.type, raw);
          const label = `${procedure.path}.${field} as ${what}`;
          expectCleanError(res, label);
          // A query string this long is refused by the HTTP parser itself (431), before tRPC.
          if (procedure.type === "query" && raw.length > 8 * 1024) continue;
          expect(res.status, label).toBe(400);
          const body = JSON.parse(res.text) as { error: { json: { data: { fieldErrors: Record<string, string[]> } } } };
          const errors = body.error.json.data.fieldErrors;
          expect(Object.keys(errors), label).toContain(field);
          if (message) expect(errors[field], label).toContain(message);
        }
        const missing: Record<string, string> = { ...sample };
        delete missing[field];
        const res = await send(procedure.path, procedure.type, JSON.stringify({ json: missing }));
        expect(res.status, `${procedure.path} without ${field}`).toBe(400);
        expect(res.text, `${procedure.path} without ${field}`).toContain(`"${field}":["${REQUIRED_MESSAGE}"]`);
      }
    }
    expect(await client.me()).toMatchObject({ isAuthenticated: true });
  });

  it("says a value of the wrong type is invalid, and a null one required", async () => {
    const res = await server.client().postJson("auth.login", { username: 1, password: null });
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors).toEqual({ username: [INVALID_MESSAGE], password: [REQUIRED_MESSAGE] });
  });

  it("never lets `password: {}` or `[]` log in", async () => {
    for (const password of [{}, [], { $ne: "" }, null, true]) {
      const res = await server.client().postJson("auth.login", { username: user.username, password });
      expect(res.status).toBe(400);
      expect(res.setCookies).toEqual([]);
    }
  });
});

describe("strings Unicode or PostgreSQL cannot take", () => {
  it.each([
    ["a NUL", "bad\u0000name"],
    ["a lone surrogate", "bad\ud800name"],
    ["a right-to-left override", "bad\u202ename"],
    ["a zero-width space", "bad\u200bname"],
    ["only whitespace", "   "],
    ["10 000 combining marks", `a${"\u0301".repeat(10_000)}`],
    ["10 000 characters", "a".repeat(10_000)],
    ["1 000 000 characters", "a".repeat(1_000_000)],
  ])("refuses a username with %s at sign-up with 400, and stores nothing", async (_what, username) => {
    const res = await server.client().mutation("auth.signup", {
      username,
      email: "unicode-case@example.com",
      password: "a perfectly fine password",
    });
    expectCleanError(res, username.slice(0, 10));
    expect(res.status).toBe(400);
    expect(Object.keys(res.error?.data.fieldErrors ?? {})).toContain("username");
    expect(await server.sql("select 1 from users where email = 'unicode-case@example.com'")).toEqual([]);
  });

  it("answers a login with a NUL or a huge username with 400 or 401, never 500", async () => {
    for (const username of ["ali\u0000ce", "a".repeat(100_000), "\ud800", "' OR 1=1--"]) {
      const res = await server.client().login(username, "whatever password");
      expectCleanError(res, username.slice(0, 10));
    }
  });
});

describe("envelopes and transport", () => {
  it("answers bodies over 1 MiB with 413, with a Content-Length or chunked", async () => {
    const huge = JSON.stringify({ json: { username: "x".repeat(1024 * 1024), password: "y" } });
    for (const path of ["auth.login", "auth.signup", "auth.requestPasswordReset", "auth.changePassword"]) {
      const res = await client.post(path, huge);
      expect(res.status, path).toBe(413);
    }
    const chunked = await client.request({
      method: "POST",
      path: "/trpc/auth.login",
      headers: { "content-type": "application/json" },
      body: huge,
      chunked: true,
    });
    expect(chunked.status).toBe(413);
    expect(await client.me()).toMatchObject({ isAuthenticated: true });
  });

  it("gets its 413 to a client that sends a whole oversized chunked body and then waits", async () => {
    // The client writes everything before reading (as a form upload or a flood does). Answering while
    // it still writes and closing with its bytes unread would reset the connection and lose the 413.
    const statuses: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) statuses.push(await postChunked(server.port, 1024 * 1024 + 64));
    expect(statuses).toEqual(Array.from({ length: 5 }, () => "413"));
    expect(await client.me()).toMatchObject({ isAuthenticated: true });
  });

  it("answers an unknown procedure with 404", async () => {
    for (const path of [
      "nope.nothing",
      "auth.nothing",
      "auth",
      "auth.sessions",
      "__proto__",
      "constructor.prototype",
    ]) {
      const post = await client.postJson(path, {});
      expect(post.status, `POST ${path}`).toBe(404);
      const get = await client.request({ method: "GET", path: `/trpc/${path}` });
      expect(get.status, `GET ${path}`).toBe(404);
    }
  });

  it("answers PUT, DELETE, PATCH, OPTIONS and TRACE with 405, with or without a content type", async () => {
    for (const procedure of procedures) {
      for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]) {
        for (const headers of [{ "content-type": "application/json" }, {}]) {
          const res = await client.request({
            method,
            path: `/trpc/${procedure.path}`,
            headers,
            body: method === "TRACE" || method === "OPTIONS" ? undefined : "{}",
          });
          const shown = `${method} ${procedure.path} ${JSON.stringify(headers)}`;
          expectCleanError(res, shown);
          expect(res.status, shown).toBe(405);
          expect(res.headers["allow"], shown).toBe("GET, POST");
        }
      }
    }
  });

  it("answers a batch with a non-object input or mixed procedure types with 400", async () => {
    for (const [path, body] of [
      ["auth.logout,auth.logout?batch=1", "[1]"],
      ["auth.logout,auth.logout?batch=1", '{"0":"x","1":[]}'],
      ["auth.logout,auth.me?batch=1", '{"0":{"json":{}}}'],
    ] as const) {
      const res = await client.post(path, body);
      expectCleanError(res, path);
      expect(res.status, `${path} ${body}`).toBe(400);
    }
  });

  it("answers a malformed superjson meta with 400 and a message of its own, not superjson's", async () => {
    const json = { username: "someone", password: "some password" };
    for (const meta of [
      { values: "garbage" },
      { referentialEqualities: "x" },
      { values: { username: [["class", "X"]] } },
      { values: { username: ["bigint"] } },
      { values: { username: ["regexp"] } },
    ]) {
      for (const path of ["auth.login", "auth.login?batch=1", "auth.requestPasswordReset"]) {
        const body = { json: path.startsWith("auth.login") ? json : { email: "someone@example.com" }, meta };
        const res = await client.post(path, JSON.stringify(path.endsWith("batch=1") ? { 0: body } : body));
        const shown = `${path} ${JSON.stringify(meta)}`;
        expectCleanError(res, shown);
        expect(res.status, shown).toBe(400);
        expect(res.text, shown).toContain("is not valid superjson");
      }
    }
  });

  it("answers a 64 KB input with a 4xx, in a query URL and in a mutation body", async () => {
    const input = JSON.stringify({ json: { token: "x".repeat(64 * 1024) } });
    const inUrl = await client.request({ method: "GET", path: `/trpc/auth.me?input=${encodeURIComponent(input)}` });
    expect(inUrl.status).toBeGreaterThanOrEqual(400);
    expect(inUrl.status).toBeLessThan(500);
    const inBody = await client.post("auth.checkResetToken", input);
    expect(inBody.status).toBeGreaterThanOrEqual(400);
    expect(inBody.status).toBeLessThan(500);
  });

  it("refuses a GET of auth.checkResetToken: the token must never travel in a URL", async () => {
    const input = JSON.stringify({ json: { token: "x".repeat(65) } });
    const res = await client.request({
      method: "GET",
      path: `/trpc/auth.checkResetToken?input=${encodeURIComponent(input)}`,
    });
    expect(res.status).toBe(405);
  });
});

describe("malformed session cookies", () => {
  it.each([
    ["empty", "session="],
    ["one character", "session=x"],
    ["8 KB", `session=${"a".repeat(8 * 1024)}`],
    ["SQL", "session=' OR 1=1--"],
    ["a percent-encoded NUL", "session=%00"],
    ["invalid percent-encoding", "session=%E0%A4%A"],
    ["two session cookies", "session=abc; session=def"],
    ["200 cookies", Array.from({ length: 200 }, (_, i) => `c${i}=${i}`).join("; ")],
  ])("treats %s as anonymous: 200 on a public query, 401 where login is required", async (_what, cookie) => {
    const anonymous = server.client();
    const me = await anonymous.request({ method: "GET", path: "/trpc/auth.me", headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.text).toContain('"isAuthenticated":false');
    expect(me.text).not.toContain("OR 1=1");
    const list = await anonymous.request({ method: "GET", path: "/trpc/auth.sessions.list", headers: { cookie } });
    expect(list.status).toBe(401);
  });
});

/**
 * POSTs a chunked login body of `bytes` over a raw socket with `Connection: close`, writing all of it
 * before reading the answer; resolves with the status, or "reset" when the answer was lost.
 */
function postChunked(port: number, bytes: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let received = "";
    let settled = false;
    const settle = (status: string): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(status);
    };
    socket.on("data", (data: Buffer) => {
      received += data.toString("latin1");
    });
    socket.on("error", () => settle(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? "reset"));
    socket.on("close", () => settle(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? "reset"));
    socket.on("connect", () => {
      const chunk = Buffer.alloc(64 * 1024, "x");
      socket.write(
        `POST /trpc/auth.login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
          "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
      );
      const prefix = '{"json":{"username":"flood","password":"';
      socket.write(`${Buffer.byteLength(prefix).toString(16)}\r\n${prefix}\r\n`);
      for (let sent = prefix.length; sent < bytes; sent += chunk.length) {
        socket.write(`${chunk.length.toString(16)}\r\n`);
        socket.write(chunk);
        socket.write("\r\n");
      }
      // The end of the body comes a little later (a slow uploader), and the answer is read only once
      // everything is written, as a client busy uploading does.
      socket.pause();
      setTimeout(() => {
        socket.write('3\r\n"}}\r\n0\r\n\r\n', () => setTimeout(() => socket.resume(), 200));
      }, 150);
    });
  });
}

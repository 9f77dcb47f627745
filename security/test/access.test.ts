import { describe, expect, it } from "vitest";
import { useArea } from "../src/harness/area.ts";
import { readEnvelope } from "../src/harness/http.ts";
import { inputFactories, newVictim } from "../src/harness/procedure-inputs.ts";
import { listProcedures } from "../src/harness/procedures.ts";
import { readResponses } from "../src/harness/record.ts";
import { logIn, seedUser, sessionIdOf, strongPassword, uniqueName } from "../src/harness/seed.ts";

const area = useArea("access");
const factories = inputFactories(area);
const procedures = listProcedures();

/** The explicit classification: a procedure that appears in neither list fails Z1 until it is classified. */
const PUBLIC = new Set([
  "health.ping",
  "auth.me",
  "auth.signup",
  "auth.login",
  "auth.logout",
  "auth.requestPasswordReset",
  "auth.checkResetToken",
  "auth.resetPassword",
  "auth.confirmPasswordReset",
]);
const LOGIN_REQUIRED = new Set([
  "auth.changePassword",
  "auth.updateAccount",
  "auth.sessions.list",
  "auth.sessions.revoke",
  "auth.sessions.revokeOthers",
]);

/** Keys that must never leave the server, at any depth of any answer. */
const FORBIDDEN_KEYS =
  /^(password|passwordHash|password_hash|secretHash|secret_hash|secret|token|sessionToken|resetToken)$/iu;
/** Encoded password hashes of every format tsbin reads. */
const HASH_VALUE = /(argon2\$argon2|pbkdf2_sha(1|256)\$|scrypt\$\d|bcrypt(_sha256)?\$|sha1\$|md5\$)/u;

function forbiddenKeysIn(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => forbiddenKeysIn(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(FORBIDDEN_KEYS.test(key) ? [`${path}.${key}`] : []),
    ...forbiddenKeysIn(inner, `${path}.${key}`),
  ]);
}

describe("Z1 unauthenticated access", () => {
  it("Z1 every procedure is classified public or login-required, and its access builder agrees", () => {
    const unclassified = procedures
      .filter((p) => !PUBLIC.has(p.path) && !LOGIN_REQUIRED.has(p.path))
      .map((p) => p.path);
    expect(unclassified).toEqual([]);
    for (const procedure of procedures) {
      expect(procedure.access, procedure.path).toBe(PUBLIC.has(procedure.path) ? "public" : "login");
    }
  });

  it("Z1 with valid input and no cookie, every login-required procedure answers 401 and every public one works", async () => {
    for (const procedure of procedures) {
      const victim = await newVictim(area);
      const factory = factories[procedure.path];
      expect(factory, `${procedure.path} needs an input in procedure-inputs.ts`).toBeDefined();
      if (!factory) continue;
      const input = await factory(victim);
      const anonymous = area.client();
      const answer =
        procedure.type === "query"
          ? await anonymous.query(procedure.path, input)
          : await anonymous.mutation(procedure.path, input);
      expect(answer.status, procedure.path).not.toBeGreaterThanOrEqual(500);
      if (LOGIN_REQUIRED.has(procedure.path)) {
        expect(answer.status, procedure.path).toBe(401);
        expect(answer.error?.code, procedure.path).toBe("UNAUTHORIZED");
      } else {
        expect(answer.status, `${procedure.path}: ${answer.body.slice(0, 200)}`).toBe(200);
      }
    }
  });
});

describe("Z3 IDOR and data exposure", () => {
  it("Z3 A cannot revoke, list or see B's sessions by id: 404 and B stays logged in", async () => {
    const a = await newVictim(area);
    const b = await newVictim(area);
    const bSession = sessionIdOf(b.client.sessionToken ?? "");
    const revoke = await a.client.mutation("auth.sessions.revoke", { id: bSession });
    expect(revoke.status).toBe(404);
    expect((await b.client.me()).id).toBe(b.user.id);
    const list = await a.client.query("auth.sessions.list");
    expect(list.status).toBe(200);
    const ids = (list.data as { id: string }[]).map((s) => s.id);
    const own = await area.sql<{ id: string }[]>`select id from sessions where user_id = ${a.user.id}`;
    expect(new Set(ids)).toEqual(new Set(own.map((row) => row.id)));
    expect(ids).not.toContain(bSession);
    expect(list.body.includes(b.user.email)).toBe(false);
  });

  it("Z3 the procedures that name a user act on the caller only (updateAccount ignores ids in the input)", async () => {
    const a = await newVictim(area);
    const b = await newVictim(area);
    const answer = await a.client.mutation("auth.updateAccount", {
      id: b.user.id,
      userId: b.user.id,
      username: b.user.username,
      firstName: "Mine",
      lastName: "Only",
      email: a.user.email,
    });
    expect([200, 400]).toContain(answer.status);
    const [row] = await area.sql<{ first_name: string }[]>`select first_name from users where id = ${b.user.id}`;
    expect(row?.first_name).toBe("");
  });

  it("Z3 no answer so far carried a password hash, a secret, a token field or another user's email", () => {
    const bad: string[] = [];
    for (const response of readResponses(area.info.runDir)) {
      if (HASH_VALUE.test(response.body)) bad.push(`${response.path}: hash value`);
      let json: unknown;
      try {
        json = JSON.parse(response.body);
      } catch {
        continue;
      }
      const envelopes = Array.isArray(json) ? json : [json];
      for (const envelope of envelopes) {
        const { data } = readEnvelope(envelope, response.status);
        for (const key of forbiddenKeysIn(data)) bad.push(`${response.path}: ${key}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("Z4 mass assignment", () => {
  const PRIVILEGED = {
    is_staff: true,
    isStaff: true,
    is_superuser: true,
    isSuperuser: true,
    is_active: false,
    isActive: false,
    id: 1,
    userId: 1,
    passwordHash: "pbkdf2_sha256$1$salt$AAAA",
    date_joined: "2000-01-01T00:00:00Z",
    dateJoined: "2000-01-01T00:00:00Z",
    groups: [1],
    permissions: ["auth.change_user"],
    emailVerified: true,
    user: { is_staff: true, isStaff: true, is_superuser: true },
  };

  it("Z4 sign-up ignores (or refuses) privileged keys: the new user has the defaults", async () => {
    const username = uniqueName("z4");
    const password = strongPassword();
    const client = area.client();
    const answer = await client.mutation("auth.signup", {
      username,
      email: `${username}@example.com`,
      password,
      ...PRIVILEGED,
    });
    expect([200, 400]).toContain(answer.status);
    if (answer.status !== 200) return;
    const [row] = await area.sql<
      { id: number; is_staff: boolean; is_superuser: boolean; is_active: boolean; date_joined: Date }[]
    >`
      select id, is_staff, is_superuser, is_active, date_joined from users where username = ${username}`;
    expect(row?.is_staff).toBe(false);
    expect(row?.is_superuser).toBe(false);
    expect(row?.is_active).toBe(true);
    expect(row?.id).not.toBe(1);
    expect(new Date().getTime() - (row?.date_joined.getTime() ?? 0)).toBeLessThan(10 * 60_000);
    const grants = await area.sql`select 1 from user_groups where user_id = ${row?.id ?? -1}
      union all select 1 from user_permissions where user_id = ${row?.id ?? -1}`;
    expect(grants.length).toBe(0);
    const me = await client.me();
    expect(me.isStaff).toBe(false);
    expect(me.isSuperuser).toBe(false);
  });

  it("Z4 updateAccount ignores privileged keys: identity and flags come from the session", async () => {
    const victim = await newVictim(area);
    const answer = await victim.client.mutation("auth.updateAccount", {
      firstName: "Plain",
      lastName: "User",
      email: victim.user.email,
      ...PRIVILEGED,
    });
    expect([200, 400]).toContain(answer.status);
    const [row] = await area.sql<{ is_staff: boolean; is_superuser: boolean; is_active: boolean; password: string }[]>`
      select is_staff, is_superuser, is_active, password from users where id = ${victim.user.id}`;
    expect(row).toMatchObject({ is_staff: false, is_superuser: false, is_active: true });
    expect(row?.password.startsWith("argon2$")).toBe(true);
  });
});

describe("Z5 prototype pollution", () => {
  it("Z5 __proto__ and constructor.prototype payloads change no one's flags and crash nothing", async () => {
    const username = uniqueName("z5");
    const base = { username, email: `${username}@example.com`, password: strongPassword() };
    const bodies = [
      `{"json":${JSON.stringify(base).slice(0, -1)},"__proto__":{"isStaff":true,"is_superuser":true,"isSuperuser":true}}}`,
      `{"json":${JSON.stringify(base).slice(0, -1)},"constructor":{"prototype":{"isStaff":true,"isSuperuser":true}}}}`,
      `{"json":{"__proto__":{"isStaff":true},"username":"${username}x","email":"${username}x@example.com","password":"${base.password}"}}`,
      `{"json":${JSON.stringify(base)},"meta":{"values":{"__proto__.isStaff":["undefined"],"constructor.prototype.isStaff":["undefined"]}}}`,
    ];
    for (const body of bodies) {
      const answer = await area.client().mutation("auth.signup", undefined, { rawBody: body });
      expect(answer.status, body).toBeLessThan(500);
    }
    const victim = await newVictim(area);
    for (const body of [
      `{"json":{"firstName":"a","lastName":"b","email":"${victim.user.email}","__proto__":{"isStaff":true,"isSuperuser":true}}}`,
      `{"json":{"firstName":"a","lastName":"b","email":"${victim.user.email}","constructor":{"prototype":{"isStaff":true}}}}`,
    ]) {
      const answer = await victim.client.mutation("auth.updateAccount", undefined, { rawBody: body });
      expect(answer.status, body).toBeLessThan(500);
    }
    // A fresh regular user and the anonymous user are still unprivileged.
    const fresh = area.client();
    const user = await seedUser(area.sql);
    await logIn(fresh, user.username, user.password);
    const me = await fresh.me();
    expect(me).toMatchObject({ isStaff: false, isSuperuser: false });
    const anonymous = await area.client().me();
    expect(anonymous).toMatchObject({ isAuthenticated: false, isStaff: false, isSuperuser: false });
    const flagged = await area.sql`select username from users where is_staff or is_superuser`;
    expect(flagged.length).toBe(0);
    const health = await area.client().request("GET", "/healthz");
    expect(health.status).toBe(200);
  });
});

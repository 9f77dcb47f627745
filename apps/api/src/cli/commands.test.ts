import { hashPassword, INSECURE_TEST_PASSWORD_HASHER_PARAMS } from "@tsbin/auth-core/server";
import { createTestDb, type TestDb } from "@tsbin/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditRow } from "../auth/hooks.ts";
import { writeLogin } from "../auth/login-record.ts";
import { newSession } from "../auth/session-store.ts";
import { findUserForLogin, type UserWithPassword } from "../auth/user-store.ts";
import { loadEnv } from "../env.ts";
import { backfillProfiles } from "./backfill-profiles.ts";
import { changePassword } from "./changepassword.ts";
import { clearSessions } from "./clearsessions.ts";
import { CommandError, createCommandContext, type CommandContext } from "./context.ts";
import { createSuperuser } from "./createsuperuser.ts";
import { importDjangoUsers } from "./import-django-users.ts";

let db: TestDb;

/** Logs the user in as the API does (the login statement), and returns the new session's id. */
async function startSession({ user, passwordHash }: UserWithPassword): Promise<string> {
  const meta = { ipAddress: "127.0.0.1", userAgent: "test" };
  const started = newSession(user.id, meta);
  const audit = auditRow("userLoggedIn", { user, meta, db: db.db });
  const record = { endedSessionId: null, started, checkedPasswordHash: passwordHash, audit };
  if (!(await writeLogin((text, params) => db.query(text, params), record))) throw new Error("login not written");
  return started.session.id;
}
let ctx: CommandContext;
const output: string[] = [];

beforeAll(async () => {
  db = await createTestDb();
  ctx = createCommandContext(db, loadEnv({}), (line) => output.push(line), INSECURE_TEST_PASSWORD_HASHER_PARAMS);
});
afterAll(async () => {
  await db.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params);
  return row?.n ?? -1;
}

describe("createsuperuser", () => {
  it("creates an active staff superuser with a profile and a working password", async () => {
    await createSuperuser(ctx, { username: "root", email: "root@example.com", password: "a long admin passphrase" });
    const found = await findUserForLogin(db, "root");
    expect(found?.user).toMatchObject({ isStaff: true, isSuperuser: true, isActive: true, email: "root@example.com" });
    expect((await ctx.passwords.verify("a long admin passphrase", found?.passwordHash)).valid).toBe(true);
    expect(await count("profiles where user_id = $1", [found?.user.id])).toBe(1);
    expect(output.at(-1)).toBe('Superuser "root" created successfully.');
  });

  it("refuses a taken username, an invalid one, and a password the validators reject", async () => {
    await expect(
      createSuperuser(ctx, { username: "ROOT", email: "", password: "a long admin passphrase" }),
    ).rejects.toThrow(new CommandError("A user with that username already exists."));
    await expect(
      createSuperuser(ctx, { username: "bad name", email: "", password: "a long admin passphrase" }),
    ).rejects.toThrow(/Username: Enter a valid username/);
    await expect(createSuperuser(ctx, { username: "admin2", email: "", password: "password" })).rejects.toThrow(
      /Password: .*too common/,
    );
    expect(await count("users where username = 'admin2'")).toBe(0);
  });
});

describe("changepassword", () => {
  it("sets the new password and ends every session of the user", async () => {
    const user = await findUserForLogin(db, "root");
    if (!user) throw new Error("root missing");
    await startSession(user);
    await changePassword(ctx, "root", "another long passphrase");
    const after = await findUserForLogin(db, "root");
    expect((await ctx.passwords.verify("another long passphrase", after?.passwordHash)).valid).toBe(true);
    expect(await count("sessions where user_id = $1", [user.user.id])).toBe(0);
    expect(await count("auth_events where type = 'passwordChanged' and detail = 'cli'")).toBe(1);
  });

  it("says when the user does not exist, and when the password is too weak", async () => {
    await expect(changePassword(ctx, "nobody", "another long passphrase")).rejects.toThrow(
      "user 'nobody' does not exist",
    );
    await expect(changePassword(ctx, "root", "12345678")).rejects.toThrow(/entirely numeric/);
  });
});

describe("clearsessions", () => {
  it("removes expired sessions and keeps live ones", async () => {
    const user = await findUserForLogin(db, "root");
    if (!user) throw new Error("root missing");
    const live = await startSession(user);
    const old = await startSession(user);
    await db.query("update sessions set expires_at = now() - interval '1 second' where id = $1", [old]);
    await clearSessions(ctx);
    expect(await count("sessions where id = $1", [old])).toBe(0);
    expect(await count("sessions where id = $1", [live])).toBe(1);
    expect(output.at(-1)).toMatch(/^Removed 1 expired session\(s\)/);
  });
});

describe("backfill-profiles", () => {
  it("creates the missing profiles once, with the default language", async () => {
    await db.query("insert into users (password, username, username_key) values ('!x', 'legacy', 'legacy')");
    expect(await backfillProfiles(ctx)).toBe(1);
    expect(await backfillProfiles(ctx)).toBe(0);
    const [profile] = await db.query<{ slug: string }>(
      "select l.slug from profiles p join users u on u.id = p.user_id join languages l on l.id = p.default_language_id where u.username = 'legacy'",
    );
    expect(profile?.slug).toBe("text");
  });
});

describe("import-django-users", () => {
  it("imports users with their Django hashes, groups and natural-key permissions; the hashes log in", async () => {
    const djangoHash = await hashPassword("imported secret", { algorithm: "pbkdf2_sha256" });
    const dump = [
      {
        model: "auth.group",
        pk: 7,
        fields: { name: "editors", permissions: [["change_snippet", "djangobin", "snippet"]] },
      },
      {
        model: "auth.user",
        pk: 3,
        fields: {
          password: djangoHash,
          last_login: null,
          is_superuser: false,
          username: "dj_alice",
          first_name: "Alice",
          last_name: "Liddell",
          email: "Alice@Example.COM",
          is_staff: true,
          is_active: true,
          date_joined: "2019-05-01T10:00:00Z",
          groups: [7],
          user_permissions: [["view_user", "auth", "user"]],
        },
      },
      { model: "auth.user", pk: 4, fields: { password: "!unusable", username: "root", email: "" } },
      { model: "contenttypes.contenttype", pk: 1, fields: { app_label: "auth", model: "user" } },
    ];
    const report = await importDjangoUsers(ctx, dump);
    expect(report).toEqual({
      imported: 1,
      groups: 1,
      skipped: ["root: username already taken"],
      unverifiable: {},
      unreadable: [],
      numericPermissions: [],
      unknownPermissions: [],
      missingGroups: [],
      naiveDates: [],
    });
    expect(output.slice(-2)).toEqual(["Imported 1 user(s) and 1 group(s).", "Skipped root: username already taken."]);
    const alice = await findUserForLogin(db, "alice@example.com");
    expect(alice?.user).toMatchObject({
      username: "dj_alice",
      email: "Alice@example.com",
      isStaff: true,
      firstName: "Alice",
    });
    expect(alice?.user.dateJoined.toISOString()).toBe("2019-05-01T10:00:00.000Z");
    expect((await ctx.passwords.verify("imported secret", alice?.passwordHash)).valid).toBe(true);
    expect(await count("profiles where user_id = $1", [alice?.user.id])).toBe(1);
    const perms = await db.query<{ codename: string }>(
      `select p.codename from permissions p where p.id in (
         select permission_id from user_permissions where user_id = $1
         union select gp.permission_id from group_permissions gp join user_groups ug on ug.group_id = gp.group_id where ug.user_id = $1)
       order by 1`,
      [alice?.user.id],
    );
    expect(perms.map((p) => p.codename)).toEqual(["change_snippet", "view_user"]);
  });

  it("refuses a file that is not a dumpdata list", async () => {
    await expect(importDjangoUsers(ctx, { users: [] })).rejects.toThrow(/not a Django dumpdata file/);
  });
});

import { INSECURE_TEST_PASSWORD_HASHER_PARAMS } from "@tsbin/auth-core/server";
import { createTestDb, type TestDb } from "@tsbin/db/testing";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findUserForLogin } from "../auth/user-store.ts";
import { loadEnv } from "../env.ts";
import { createCommandContext, type CommandContext } from "./context.ts";
import { importDjangoUsers } from "./import-django-users.ts";

// Written by Django 3.2 (test/fixtures/django-legacy-hashes.py): one user per legacy hasher, all
// with this password.
const LEGACY_PASSWORD = "legacy passphrase";
const LEGACY_DUMP = new URL("../../test/fixtures/django-legacy-hashes.json", import.meta.url);
const ALL_HASHERS = "argon2,pbkdf2_sha256,pbkdf2_sha1,scrypt,bcrypt_sha256,bcrypt,md5,sha1,unsalted_md5,unsalted_sha1";
const HASH = "pbkdf2_sha256$260000$someSalt$c2VjcmV0IGhhc2ggdGhhdCBtdXN0IG5vdCBsZWFr";

let db: TestDb;
const output: string[] = [];

function contextWith(hashers?: string): CommandContext {
  const env = loadEnv(hashers === undefined ? {} : { PASSWORD_HASHERS: hashers });
  return createCommandContext(db, env, (line) => output.push(line), INSECURE_TEST_PASSWORD_HASHER_PARAMS);
}

function user(pk: number, fields: Record<string, unknown>): Record<string, unknown> {
  return { model: "auth.user", pk, fields: { password: HASH, ...fields } };
}

async function exists(username: string): Promise<boolean> {
  return (await findUserForLogin(db, username)) !== null;
}

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});
beforeEach(() => {
  output.length = 0;
});

describe("import-django-users and PASSWORD_HASHERS", () => {
  it("imports users whose hashers PASSWORD_HASHERS leaves out, and warns by algorithm what to do", async () => {
    const dump: unknown = JSON.parse(await readFile(LEGACY_DUMP, "utf8"));
    const report = await importDjangoUsers(contextWith(), dump);
    expect(report).toMatchObject({
      imported: 7,
      skipped: [],
      unverifiable: {
        md5: ["md5_ann", "md5_bob"],
        sha1: ["sha1_cat"],
        unsalted_md5: ["umd5_dan"],
        unsalted_sha1: ["usha1_eve"],
      },
      unreadable: ["crypt_fay"],
    });
    expect(output).toEqual([
      "Imported 7 user(s) and 0 group(s).",
      "Warning: 5 imported user(s) cannot log in yet: PASSWORD_HASHERS does not list the hasher of their password hash.",
      "  md5: 2 user(s): md5_ann, md5_bob",
      "  sha1: 1 user(s): sha1_cat",
      "  unsalted_md5: 1 user(s): umd5_dan",
      "  unsalted_sha1: 1 user(s): usha1_eve",
      "  To let them log in with their old passwords, add the hasher(s) to PASSWORD_HASHERS " +
        "(PASSWORD_HASHERS=argon2,pbkdf2_sha256,pbkdf2_sha1,scrypt,bcrypt_sha256,bcrypt,md5,sha1,unsalted_md5,unsalted_sha1): " +
        "each hash is then upgraded at the user's next login. Otherwise they must reset their password.",
      "Warning: 1 imported user(s) have no password hash tsbin can read (empty, or crypt or a custom hasher) and " +
        "cannot log in with a password until they reset it by email or `pnpm manage changepassword` sets one: crypt_fay",
    ]);
  });

  it("keeps the legacy hashes as they were, so that the users log in once the hashers are listed", async () => {
    const withLegacy = contextWith(ALL_HASHERS);
    for (const username of ["md5_ann", "sha1_cat", "umd5_dan", "usha1_eve", "pbkdf2_gus"]) {
      const found = await findUserForLogin(db, username);
      expect(await withLegacy.passwords.verify(LEGACY_PASSWORD, found?.passwordHash)).toEqual({
        valid: true,
        needsRehash: true,
      });
    }
  });

  it("keeps a hash it cannot read as it was, so that, as in Django, its owner may reset the password", async () => {
    const found = await findUserForLogin(db, "crypt_fay");
    expect(found?.passwordHash).toBe("crypt$$dT1IM/4CWMSHw");
    expect(await contextWith(ALL_HASHERS).passwords.verify(LEGACY_PASSWORD, found?.passwordHash)).toEqual({
      valid: false,
      needsRehash: false,
    });
  });

  it("says nothing more when PASSWORD_HASHERS lists every hasher the imported hashes use", async () => {
    const dump: unknown = JSON.parse(await readFile(LEGACY_DUMP, "utf8"));
    const md5 = (dump as { fields: { username: string; email: string } }[]).filter((r) =>
      r.fields.username.startsWith("md5_"),
    );
    for (const record of md5) {
      record.fields.username = `again_${record.fields.username}`;
      record.fields.email = `again_${record.fields.email}`;
    }
    await importDjangoUsers(contextWith(ALL_HASHERS), md5);
    expect(output).toEqual(["Imported 2 user(s) and 0 group(s)."]);
  });

  it("names a few users and counts the rest", async () => {
    const dump = Array.from({ length: 8 }, (_, i) =>
      user(100 + i, { username: `many${i}`, password: "sha1$salt$0f54f4cbbe4d1ad2e1b4e9bfc2b1c1d9b0a2a5a6" }),
    );
    await importDjangoUsers(contextWith(), dump);
    expect(output).toContain("  sha1: 8 user(s): many0, many1, many2, many3, many4 and 3 more");
  });
});

describe("import-django-users with records it cannot store", () => {
  it("skips each invalid record with one line naming the user and the field, and imports the rest", async () => {
    const report = await importDjangoUsers(contextWith(), [
      user(1, { username: "u1", email: `${"a".repeat(300)}@example.com` }),
      user(2, { username: "u2", first_name: "Nul\u0000" }),
      user(3, { username: "x".repeat(151) }),
      user(4, { username: "u4", last_login: "not a date" }),
      user(5, { username: "u5", date_joined: "1" }),
      user(6, { username: "u6", last_name: "é".repeat(151) }),
      user(7, { username: "u7", email: "u7@example.com", first_name: "Fine" }),
    ]);
    expect(report.imported).toBe(1);
    expect(output).toEqual([
      "Imported 1 user(s) and 0 group(s).",
      "Skipped u1: email is longer than 254 characters.",
      "Skipped u2: first_name contains a NUL character.",
      `Skipped ${"x".repeat(40)}… (pk 3): username is longer than 150 characters.`,
      "Skipped u4: last_login is not a date.",
      "Skipped u5: date_joined is not a date.",
      "Skipped u6: last_name is longer than 150 characters.",
    ]);
    expect(await exists("u7")).toBe(true);
    expect(await exists("u1")).toBe(false);
  });

  it("skips a date that does not exist, instead of rolling it over into the next month", async () => {
    await importDjangoUsers(contextWith(), [
      user(1, { username: "feb30", last_login: "2020-02-30T00:00:00Z" }),
      user(2, { username: "hour24", date_joined: "2020-01-01T24:00:00Z" }),
    ]);
    expect(output).toEqual([
      "Imported 0 user(s) and 0 group(s).",
      "Skipped feb30: last_login is not a date.",
      "Skipped hour24: date_joined is not a date.",
    ]);
  });

  it("reads a date without a time zone as UTC, whatever the machine's zone, and says so", async () => {
    const zone = process.env["TZ"];
    process.env["TZ"] = "Asia/Tokyo";
    try {
      await importDjangoUsers(contextWith(), [
        user(1, { username: "naive_nina", date_joined: "2015-03-04T05:06:07.123", last_login: "2015-03-05 06:07" }),
      ]);
    } finally {
      if (zone === undefined) delete process.env["TZ"];
      else process.env["TZ"] = zone;
    }
    const [row] = await db.query<{ date_joined: Date; last_login: Date }>(
      "select date_joined, last_login from users where username = 'naive_nina'",
    );
    expect(row?.date_joined.toISOString()).toBe("2015-03-04T05:06:07.123Z");
    expect(row?.last_login.toISOString()).toBe("2015-03-05T06:07:00.000Z");
    expect(output).toContain(
      "Warning: 1 imported user(s) have dates without a time zone (a Django project with USE_TZ = False writes " +
        "them in its TIME_ZONE); they were read as UTC: naive_nina",
    );
  });

  it("imports usernames Django accepts that mix scripts, which sign-up refuses", async () => {
    const report = await importDjangoUsers(contextWith(), [
      user(1, { username: "Ivan_Иван", email: "ivan@example.com" }),
      user(2, { username: "maria.σοφία", email: "maria@example.com" }),
    ]);
    expect(report).toMatchObject({ imported: 2, skipped: [] });
    expect(await exists("Ivan_Иван")).toBe(true);
    expect(await exists("maria.σοφία")).toBe(true);
  });

  it("skips a user whose username is another's email address, or whose address is another's username", async () => {
    const report = await importDjangoUsers(contextWith(), [
      user(1, { username: "hal", email: "Hal@example.com" }),
      user(2, { username: "ivy@example.com", email: "ivy.real@example.com" }),
      user(3, { username: "HAL@example.com", email: "other@example.com" }),
      user(4, { username: "ivysquatter", email: "IVY@example.com" }),
      user(5, { username: "jo@example.com", email: "jo@example.com" }),
    ]);
    expect(report.imported).toBe(3);
    expect(output).toEqual([
      "Imported 3 user(s) and 0 group(s).",
      "Skipped HAL@example.com: username is another user's email address.",
      "Skipped ivysquatter: email address is another user's username.",
    ]);
    expect((await findUserForLogin(db, "hal@example.com"))?.user.username).toBe("hal");
    expect((await findUserForLogin(db, "ivy@example.com"))?.user.username).toBe("ivy@example.com");
  });

  it("reports auth.user records that do not match, naming the field and the record", async () => {
    const report = await importDjangoUsers(contextWith(), [
      { model: "auth.user", fields: {} },
      { model: "auth.user", pk: 12, fields: { password: HASH } },
      user(13, { username: "nullname", first_name: null }),
      user(14, { username: "nullpass", password: null }),
      user(15, { username: "badstaff", is_staff: "yes" }),
      user(16, { username: "badgroups", groups: ["editors"] }),
      { model: "auth.user", pk: 17 },
      user(18, { username: "matched" }),
    ]);
    expect(report.imported).toBe(1);
    expect(report.skipped).toEqual([
      "record 1: password is missing; username is missing",
      "pk 12: username is missing",
      "nullname: first_name is null",
      "nullpass: password is null",
      "badstaff: is_staff must be a boolean",
      "badgroups: groups.0 is not valid",
      "pk 17: fields is missing",
    ]);
  });

  it("reports a statement the database refuses in one line with its message, without the SQL or the hash", async () => {
    const report = await importDjangoUsers(contextWith(), [
      user(21, { username: "year0", date_joined: "0000-01-01T00:00:00Z" }),
      user(22, { username: "nulperm", user_permissions: [["view\u0000user", "auth", "user"]] }),
      user(23, { username: "after" }),
    ]);
    expect(report.imported).toBe(1);
    expect(output).toHaveLength(3);
    expect(output[1]).toMatch(/^Skipped year0: the database refused it: date\/time field value out of range.*\.$/);
    expect(output[2]).toMatch(/^Skipped nulperm: the database refused it: invalid byte sequence for encoding.*\.$/);
    expect(output.join("\n")).not.toMatch(/Failed query|params|insert into|select /);
    expect(output.join("\n")).not.toContain(HASH);
    expect(await exists("year0")).toBe(false);
    expect(await exists("nulperm")).toBe(false);
    expect(await exists("after")).toBe(true);
  });

  it("escapes control characters of a name it prints", async () => {
    await importDjangoUsers(contextWith(), [user(31, { username: "evil\u001b[2J", email: "bad\u0000@example.com" })]);
    expect(output[1]).toBe("Skipped evil\\u001b[2J (pk 31): email contains a NUL character.");
  });

  it("skips a group it cannot store, and names it", async () => {
    const report = await importDjangoUsers(contextWith(), [
      { model: "auth.group", pk: 1, fields: { name: "g".repeat(151) } },
      { model: "auth.group", pk: 2, fields: { permissions: [] } },
      { model: "auth.group", pk: 3, fields: { name: "fine group" } },
    ]);
    expect(report.groups).toBe(1);
    expect(report.skipped).toEqual([
      `group ${"g".repeat(40)}… (pk 1): name is longer than 150 characters`,
      "group pk 2: name is missing",
    ]);
  });
});

describe("import-django-users with groups and permissions given by number", () => {
  it("resolves numeric group refs to the groups of the same file, and names the users whose group is not there", async () => {
    const report = await importDjangoUsers(contextWith(), [
      { model: "auth.group", pk: 7, fields: { name: "numbered editors", permissions: [] } },
      user(41, { username: "numgroup", groups: [7] }),
      user(42, { username: "lostgroup", groups: [8, ["no such group"]] }),
    ]);
    expect(report.imported).toBe(2);
    const memberships = await db.query<{ username: string; name: string }>(
      "select u.username, g.name from user_groups ug join users u on u.id = ug.user_id join groups g on g.id = ug.group_id where u.username in ('numgroup', 'lostgroup')",
    );
    expect(memberships).toEqual([{ username: "numgroup", name: "numbered editors" }]);
    expect(report.missingGroups).toEqual(["lostgroup (group pk 8)", "lostgroup (group no such group)"]);
    expect(output).toContain(
      "Warning: 2 group membership(s) were not imported, the group being neither in the file nor in tsbin: " +
        "lostgroup (group pk 8), lostgroup (group no such group)",
    );
  });

  it("says that permissions given by number were not imported, for users and groups, and how to dump them", async () => {
    const report = await importDjangoUsers(contextWith(), [
      {
        model: "auth.group",
        pk: 9,
        fields: { name: "numbered perms", permissions: [5, ["view_user", "auth", "user"]] },
      },
      user(43, { username: "numperm", user_permissions: [5] }),
    ]);
    expect(report.imported).toBe(1);
    expect(report.numericPermissions).toEqual(["group numbered perms", "numperm"]);
    const warning = output.find((line) => line.startsWith("Warning: permissions given by number"));
    expect(warning).toBe(
      "Warning: permissions given by number were not imported, for group numbered perms, numperm: " +
        "Django numbers permissions per database. Dump with " +
        "`python manage.py dumpdata auth --natural-foreign --natural-primary` to name them instead.",
    );
    // The named permission of the same group is in.
    const groupPerms = await db.query<{ codename: string }>(
      "select p.codename from group_permissions gp join groups g on g.id = gp.group_id join permissions p on p.id = gp.permission_id where g.name = 'numbered perms'",
    );
    expect(groupPerms).toEqual([{ codename: "view_user" }]);
  });

  it("names the permissions it does not have", async () => {
    const report = await importDjangoUsers(contextWith(), [
      user(44, { username: "pollster", user_permissions: [["add_poll", "polls", "poll"]] }),
    ]);
    expect(report.unknownPermissions).toEqual(["polls.add_poll"]);
    expect(output).toContain("Warning: 1 permission(s) tsbin does not have were not given to anyone: polls.add_poll");
  });
});

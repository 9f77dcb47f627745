import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { describeSchema, type SchemaDescription } from "./schema-description.ts";
import { createTestDb, type TestDb } from "./testing.ts";
import {
  authEvents,
  groupPermissions,
  groups,
  languages,
  passwordResetTokens,
  permissions,
  profiles,
  sessions,
  snippetTags,
  snippets,
  tags,
  userGroups,
  userPermissions,
  users,
} from "./schema/index.ts";

let handle: TestDb;

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});

/** Postgres error codes reach us wrapped by Drizzle on one driver and bare on the other. */
function pgErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  while (current && typeof current === "object") {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

async function expectPgError(promise: Promise<unknown>, code: string | readonly string[]): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected SQLSTATE ${String(code)}`).toBeDefined();
  expect(typeof code === "string" ? [code] : code).toContain(pgErrorCode(error));
}

const UNIQUE_VIOLATION = "23505";
// PostgreSQL 15 reports an ON DELETE RESTRICT as a foreign key violation; PGlite's newer core as restrict_violation.
const RESTRICTED_DELETE = ["23503", "23001"] as const;
const CHECK_VIOLATION = "23514";

let counter = 0;
async function insertUser(overrides: Partial<typeof users.$inferInsert> = {}): Promise<number> {
  counter += 1;
  const username = overrides.username ?? `user${counter}`;
  const [row] = await handle.db
    .insert(users)
    .values({ password: "!unusable", username, usernameKey: username.toLowerCase(), ...overrides })
    .returning({ id: users.id });
  if (!row) throw new Error("insert returned no row");
  return row.id;
}

describe("migrations", () => {
  it("produce exactly the committed schema, on PGlite and on PostgreSQL alike", async () => {
    const snapshot = JSON.parse(
      await readFile(new URL("../test/schema-snapshot.json", import.meta.url), "utf8"),
    ) as SchemaDescription;
    expect(await describeSchema(handle)).toEqual(snapshot);
  });

  it("are idempotent: applying them again changes nothing", async () => {
    const before = await describeSchema(handle);
    await handle.migrate();
    expect(await describeSchema(handle)).toEqual(before);
    const [langs] = await handle.query<{ n: number }>("select count(*)::int as n from languages");
    expect(langs?.n).toBeGreaterThanOrEqual(20);
  });
});

describe("seed data", () => {
  it("has at least 20 languages with every field filled, Plain Text among them", async () => {
    const rows = await handle.db.select().from(languages);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    for (const row of rows) {
      expect(row.name && row.langCode && row.slug && row.mime && row.fileExtension).toBeTruthy();
      expect(row.fileExtension.startsWith(".")).toBe(true);
    }
    const plain = rows.find((r) => r.slug === "text");
    expect(plain).toMatchObject({ name: "Plain Text", mime: "text/plain", fileExtension: ".txt" });
  });

  it("has add, change, delete and view permissions for every model", async () => {
    const rows = await handle.db.select().from(permissions);
    const byModel = new Map<string, string[]>();
    for (const row of rows) byModel.set(row.model, [...(byModel.get(row.model) ?? []), row.codename]);
    for (const model of [
      "user",
      "group",
      "permission",
      "session",
      "profile",
      "language",
      "snippet",
      "tag",
      "logentry",
    ]) {
      expect(byModel.get(model)?.sort(), model).toEqual(
        ["add", "change", "delete", "view"].map((action) => `${action}_${model}`).sort(),
      );
    }
    expect(rows.find((r) => r.codename === "change_user")).toMatchObject({ appLabel: "auth", name: "Can change user" });
  });
});

describe("users", () => {
  it("refuse a second user with the same username key", async () => {
    await insertUser({ username: "Alice", usernameKey: "alice" });
    await expectPgError(insertUser({ username: "ALICE", usernameKey: "alice" }), UNIQUE_VIOLATION);
  });

  it("refuse a second user with the same email key, but allow many users without an email", async () => {
    await insertUser({ email: "Bob@Example.com", emailKey: "bob@example.com" });
    await expectPgError(insertUser({ email: "bob@EXAMPLE.com", emailKey: "bob@example.com" }), UNIQUE_VIOLATION);
    await insertUser({ email: "" });
    await insertUser({ email: "" });
  });

  it("refuse an email without its key, and an empty username", async () => {
    await expectPgError(insertUser({ email: "carol@example.com", emailKey: null }), CHECK_VIOLATION);
    await expectPgError(insertUser({ username: "", usernameKey: "" }), CHECK_VIOLATION);
  });

  it("are created active, not staff and not superuser, with the join date set", async () => {
    const id = await insertUser();
    const [row] = await handle.db.select().from(users).where(eq(users.id, id));
    expect(row).toMatchObject({ isActive: true, isStaff: false, isSuperuser: false, lastLogin: null });
    expect(row?.dateJoined).toBeInstanceOf(Date);
  });
});

describe("deleting a user", () => {
  it("removes their sessions, tokens, profile, memberships, grants and snippets, and keeps the audit log", async () => {
    const userId = await insertUser();
    const [group] = await handle.db
      .insert(groups)
      .values({ name: `editors${counter}` })
      .returning();
    const [perm] = await handle.db.select().from(permissions).limit(1);
    const [lang] = await handle.db.select().from(languages).limit(1);
    if (!group || !perm || !lang) throw new Error("fixtures missing");
    const hash = new Uint8Array(32).fill(7);
    await handle.db
      .insert(sessions)
      .values({ id: `s${counter}`, secretHash: hash, userId, expiresAt: new Date(Date.now() + 3_600_000) });
    await handle.db.insert(passwordResetTokens).values({
      id: `r${counter}`,
      secretHash: hash,
      userId,
      email: "x@example.com",
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    await handle.db.insert(profiles).values({ userId, defaultLanguageId: lang.id });
    await handle.db.insert(userGroups).values({ userId, groupId: group.id });
    await handle.db.insert(userPermissions).values({ userId, permissionId: perm.id });
    const [snippet] = await handle.db
      .insert(snippets)
      .values({
        originalCode: "x",
        expiration: "never",
        exposure: "public",
        slug: `sn${counter}`,
        languageId: lang.id,
        userId,
      })
      .returning();
    await handle.db.insert(authEvents).values({ type: "login", userId, username: "someone" });

    await handle.db.delete(users).where(eq(users.id, userId));

    const countWhere = async (table: string, column: string, value: number | string): Promise<number> => {
      const [row] = await handle.query<{ n: number }>(`select count(*)::int as n from ${table} where ${column} = $1`, [
        value,
      ]);
      return row?.n ?? -1;
    };
    for (const table of [
      "sessions",
      "password_reset_tokens",
      "profiles",
      "user_groups",
      "user_permissions",
      "snippets",
    ]) {
      expect(await countWhere(table, "user_id", userId), table).toBe(0);
    }
    expect(await countWhere("snippets", "id", snippet?.id ?? -1)).toBe(0);
    expect(await countWhere("groups", "id", group.id)).toBe(1);
    const events = await handle.db.select().from(authEvents).where(eq(authEvents.username, "someone"));
    expect(events).toHaveLength(1);
    expect(events[0]?.userId).toBeNull();
  });
});

describe("other relations", () => {
  it("a language in use by a snippet cannot be deleted; one only chosen by a profile can, and the profile forgets it", async () => {
    const userId = await insertUser();
    const [lang] = await handle.db
      .insert(languages)
      .values({
        name: `Lang${counter}`,
        langCode: `l${counter}`,
        slug: `l${counter}`,
        mime: "text/x",
        fileExtension: ".x",
      })
      .returning();
    const [other] = await handle.db
      .insert(languages)
      .values({
        name: `Other${counter}`,
        langCode: `o${counter}`,
        slug: `o${counter}`,
        mime: "text/x",
        fileExtension: ".o",
      })
      .returning();
    if (!lang || !other) throw new Error("fixtures missing");
    await handle.db.insert(snippets).values({
      originalCode: "x",
      expiration: "never",
      exposure: "public",
      slug: `sl${counter}`,
      languageId: lang.id,
      userId,
    });
    await expectPgError(handle.db.delete(languages).where(eq(languages.id, lang.id)), RESTRICTED_DELETE);

    const [profile] = await handle.db.insert(profiles).values({ userId, defaultLanguageId: other.id }).returning();
    await handle.db.delete(languages).where(eq(languages.id, other.id));
    const [after] = await handle.db
      .select()
      .from(profiles)
      .where(eq(profiles.id, profile?.id ?? -1));
    expect(after?.defaultLanguageId).toBeNull();
  });

  it("a user has at most one profile, and its choices are checked", async () => {
    const userId = await insertUser();
    await handle.db.insert(profiles).values({ userId });
    await expectPgError(handle.db.insert(profiles).values({ userId }), UNIQUE_VIOLATION);
    const other = await insertUser();
    await expectPgError(
      handle.db.insert(profiles).values({ userId: other, defaultExposure: "everyone" }),
      CHECK_VIOLATION,
    );
  });

  it("deleting a group or a tag removes its joins but not the users or snippets", async () => {
    const userId = await insertUser();
    const [group] = await handle.db
      .insert(groups)
      .values({ name: `g${counter}` })
      .returning();
    const [perm] = await handle.db.select().from(permissions).limit(1);
    const [lang] = await handle.db.select().from(languages).limit(1);
    const [tag] = await handle.db
      .insert(tags)
      .values({ name: `t${counter}`, slug: `t${counter}` })
      .returning();
    if (!group || !perm || !lang || !tag) throw new Error("fixtures missing");
    await handle.db.insert(userGroups).values({ userId, groupId: group.id });
    await handle.db.insert(groupPermissions).values({ groupId: group.id, permissionId: perm.id });
    const [snippet] = await handle.db
      .insert(snippets)
      .values({
        originalCode: "x",
        expiration: "never",
        exposure: "public",
        slug: `st${counter}`,
        languageId: lang.id,
        userId,
      })
      .returning();
    if (!snippet) throw new Error("fixtures missing");
    await handle.db.insert(snippetTags).values({ snippetId: snippet.id, tagId: tag.id });

    await handle.db.delete(groups).where(eq(groups.id, group.id));
    await handle.db.delete(tags).where(eq(tags.id, tag.id));

    expect(await handle.db.select().from(userGroups).where(eq(userGroups.userId, userId))).toHaveLength(0);
    expect(await handle.db.select().from(groupPermissions).where(eq(groupPermissions.groupId, group.id))).toHaveLength(
      0,
    );
    expect(await handle.db.select().from(snippetTags).where(eq(snippetTags.snippetId, snippet.id))).toHaveLength(0);
    expect(await handle.db.select().from(users).where(eq(users.id, userId))).toHaveLength(1);
    expect(await handle.db.select().from(snippets).where(eq(snippets.id, snippet.id))).toHaveLength(1);
  });

  it("counters are updated in SQL, so concurrent increments are not lost", async () => {
    const userId = await insertUser();
    const [profile] = await handle.db.insert(profiles).values({ userId }).returning();
    if (!profile) throw new Error("fixtures missing");
    await Promise.all(
      Array.from({ length: 20 }, () =>
        handle.query("update profiles set views = views + 1 where id = $1", [profile.id]),
      ),
    );
    const [after] = await handle.db.select().from(profiles).where(eq(profiles.id, profile.id));
    expect(after?.views).toBe(20);
  });
});

describe("raw queries (DbHandle.query)", () => {
  it("take Date parameters and give timestamp columns back as Dates, on either driver", async () => {
    const at = new Date("2026-02-03T04:05:06.789Z");
    const [row] = await handle.query<{ stamped: unknown; plain: unknown; text: unknown }>(
      "select $1::timestamptz as stamped, $1::timestamptz::timestamp as plain, $2::text as text",
      [at, "2026-02-03T04:05:06.789Z"],
    );
    expect(row?.stamped).toEqual(at);
    expect(row?.plain).toBeInstanceOf(Date);
    expect(row?.text).toBe("2026-02-03T04:05:06.789Z");
  });
});

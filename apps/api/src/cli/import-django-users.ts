import { emailKey, normalizeEmail, normalizeUsername, usernameKey, validateUsername } from "@tsbin/auth-core";
import { identifyHasher, isPasswordUsable } from "@tsbin/auth-core/server";
import {
  and,
  eq,
  groupPermissions,
  groups,
  permissions,
  userGroups,
  userPermissions,
  users,
  type Database,
} from "@tsbin/db";
import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { uniqueViolationConstraint } from "../auth/db-errors.ts";
import { userColumns, userFromRow } from "../auth/user-row.ts";
import { CommandError, withCommandContext, type CommandContext } from "./context.ts";

// Permissions come as natural keys ([codename, app_label, model]) with `dumpdata --natural-foreign`,
// or as numeric ids that mean nothing outside the source database.
const permissionRef = z.union([z.tuple([z.string(), z.string(), z.string()]), z.number()]);
const groupRef = z.union([z.tuple([z.string()]), z.number()]);

const userRecord = z.object({
  model: z.literal("auth.user"),
  pk: z.number().optional(),
  fields: z.object({
    password: z.string(),
    last_login: z.string().nullable().optional(),
    is_superuser: z.boolean().default(false),
    username: z.string(),
    first_name: z.string().default(""),
    last_name: z.string().default(""),
    email: z.string().default(""),
    is_staff: z.boolean().default(false),
    is_active: z.boolean().default(true),
    date_joined: z.string().optional(),
    groups: z.array(groupRef).default([]),
    user_permissions: z.array(permissionRef).default([]),
  }),
});

const groupRecord = z.object({
  model: z.literal("auth.group"),
  pk: z.number().optional(),
  fields: z.object({ name: z.string(), permissions: z.array(permissionRef).default([]) }),
});

const dumpRecord = z.union([userRecord, groupRecord, z.object({ model: z.string() }).loose()]);

export interface ImportReport {
  imported: number;
  skipped: string[];
  groups: number;
}

type PermissionRef = z.infer<typeof permissionRef>;

/**
 * Imports users (and groups) from Django's `dumpdata auth` JSON. Password hashes are kept as they
 * are — tsbin reads Django's formats and upgrades them at the next login. Users whose username or
 * email is already taken are skipped and reported; every imported user gets a profile.
 */
export async function importDjangoUsers(ctx: CommandContext, json: unknown): Promise<ImportReport> {
  const parsed = z.array(dumpRecord).safeParse(json);
  if (!parsed.success)
    throw new CommandError(`not a Django dumpdata file: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const db = ctx.database.db;
  const report: ImportReport = { imported: 0, skipped: [], groups: 0 };
  const groupIds = new Map<number | string, number>();

  // Takes the executor explicitly: inside a transaction every query must use it (PGlite has a
  // single connection, so a query outside the transaction would wait for it forever).
  const permissionId = async (executor: Database, ref: PermissionRef): Promise<number | undefined> => {
    if (typeof ref === "number") return undefined;
    const [codename, appLabel] = ref;
    const [row] = await executor
      .select({ id: permissions.id })
      .from(permissions)
      .where(and(eq(permissions.codename, codename), eq(permissions.appLabel, appLabel)))
      .limit(1);
    return row?.id;
  };

  for (const record of parsed.data) {
    const group = groupRecord.safeParse(record);
    if (!group.success) continue;
    const [row] = await db
      .insert(groups)
      .values({ name: group.data.fields.name })
      .onConflictDoUpdate({ target: groups.name, set: { name: group.data.fields.name } })
      .returning({ id: groups.id });
    if (!row) continue;
    groupIds.set(group.data.fields.name, row.id);
    if (group.data.pk !== undefined) groupIds.set(group.data.pk, row.id);
    for (const ref of group.data.fields.permissions) {
      const id = await permissionId(db, ref);
      if (id !== undefined)
        await db.insert(groupPermissions).values({ groupId: row.id, permissionId: id }).onConflictDoNothing();
    }
    report.groups += 1;
  }

  for (const record of parsed.data) {
    const user = userRecord.safeParse(record);
    if (!user.success) continue;
    const f = user.data.fields;
    if (validateUsername(f.username).length > 0) {
      report.skipped.push(`${f.username} (invalid username)`);
      continue;
    }
    const username = normalizeUsername(f.username);
    const email = f.email === "" ? "" : normalizeEmail(f.email);
    // An unknown hash format would lock the user out for good; make it explicitly unusable instead.
    const password =
      isPasswordUsable(f.password) && identifyHasher(f.password) === null ? `!${f.password.slice(0, 40)}` : f.password;
    try {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(users)
          .values({
            username,
            usernameKey: usernameKey(username),
            email,
            emailKey: email === "" ? null : emailKey(email),
            password,
            firstName: f.first_name.slice(0, 150),
            lastName: f.last_name.slice(0, 150),
            isStaff: f.is_staff,
            isSuperuser: f.is_superuser,
            isActive: f.is_active,
            lastLogin: f.last_login ? new Date(f.last_login) : null,
            dateJoined: f.date_joined ? new Date(f.date_joined) : new Date(),
          })
          .returning(userColumns);
        if (!row) throw new Error("insert into users returned no row");
        await ctx.hooks.emit("userCreated", { user: userFromRow(row), meta: ctx.meta, db: tx });
        for (const ref of f.groups) {
          const groupId = groupIds.get(typeof ref === "number" ? ref : ref[0]);
          if (groupId !== undefined)
            await tx.insert(userGroups).values({ userId: row.id, groupId }).onConflictDoNothing();
        }
        for (const ref of f.user_permissions) {
          const id = await permissionId(tx, ref);
          if (id !== undefined)
            await tx.insert(userPermissions).values({ userId: row.id, permissionId: id }).onConflictDoNothing();
        }
      });
      report.imported += 1;
    } catch (error) {
      const constraint = uniqueViolationConstraint(error);
      if (constraint === undefined) throw error;
      report.skipped.push(`${f.username} (${constraint.includes("email") ? "email" : "username"} already taken)`);
    }
  }
  ctx.out(`Imported ${report.imported} user(s) and ${report.groups} group(s).`);
  for (const line of report.skipped) ctx.out(`Skipped ${line}`);
  return report;
}

export function registerImportDjangoUsers(program: Command): void {
  program
    .command("import-django-users")
    .description(
      "import users and groups from `manage.py dumpdata auth --natural-foreign` JSON, keeping their password hashes",
    )
    .argument("<dumpdata.json>", "the file dumpdata wrote")
    .action(async (file: string) => {
      let json: unknown;
      try {
        // pnpm runs the script in apps/api; INIT_CWD is where the user typed the command.
        json = JSON.parse(await readFile(path.resolve(process.env["INIT_CWD"] ?? process.cwd(), file), "utf8"));
      } catch (error) {
        throw new CommandError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      await withCommandContext(async (ctx) => void (await importDjangoUsers(ctx, json)));
    });
}

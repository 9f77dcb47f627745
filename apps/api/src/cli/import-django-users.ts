import { emailKey, usernameKey } from "@tsbin/auth-core";
import { identifyHasher, isPasswordUsable, type PasswordHasherName } from "@tsbin/auth-core/server";
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
import { isDatabaseUnavailable, pgErrorCode } from "../auth/db-errors.ts";
import { userColumns, userFromRow } from "../auth/user-row.ts";
import { userConflictFrom } from "../auth/user-store.ts";
import { describeError } from "../describe-error.ts";
import { CommandError, withCommandContext, type CommandContext } from "./context.ts";
import {
  describeIssues,
  dumpRecord,
  GROUP_NAME_COLUMN_LENGTH,
  groupRecord,
  prepareUser,
  printable,
  recordLabel,
  textProblem,
  userRecord,
  type PermissionRef,
} from "./django-dump-records.ts";

export interface ImportReport {
  imported: number;
  /** One entry per record left out: what it is, a colon, and why. */
  skipped: string[];
  groups: number;
  /** Imported users whose hash is of a known algorithm that PASSWORD_HASHERS leaves out, by algorithm. */
  unverifiable: Partial<Record<PasswordHasherName, string[]>>;
  /** Imported users whose hash was of no format tsbin reads, and who got an unusable password instead. */
  unreadable: string[];
}

/** How many usernames a warning names before "and N more". */
const NAMED_IN_WARNING = 5;

/** Why a user record collided with a user already there (migration 0004 forbids the crossed case). */
const IMPORT_CONFLICTS = {
  username: { taken: "username already taken", crossed: "username is another user's email address" },
  email: { taken: "email already taken", crossed: "email address is another user's username" },
} as const;

/**
 * What to say about a statement that failed for one record: the database's own message, never
 * the statement (its parameters hold the password hash). Errors that are not the record's fault (the
 * database is gone, or a bug) stop the import.
 */
function recordFailure(error: unknown, label: string): string {
  const message = describeError(error);
  if (pgErrorCode(error) === undefined || isDatabaseUnavailable(error)) {
    throw new CommandError(`importing ${label} failed: ${message}`);
  }
  return `the database refused it: ${message}`;
}

function namedUsers(usernames: readonly string[]): string {
  const named = usernames.slice(0, NAMED_IN_WARNING).map(printable).join(", ");
  const more = usernames.length - NAMED_IN_WARNING;
  return more > 0 ? `${named} and ${more} more` : named;
}

/** Tells which imported users cannot log in yet, and what to do about it. */
function warnAboutPasswords(ctx: CommandContext, report: ImportReport): void {
  const unverifiable = Object.entries(report.unverifiable);
  if (unverifiable.length > 0) {
    const total = unverifiable.reduce((sum, [, usernames]) => sum + usernames.length, 0);
    ctx.out(
      `Warning: ${total} imported user(s) cannot log in yet: PASSWORD_HASHERS does not list the hasher of their password hash.`,
    );
    for (const [algorithm, usernames] of unverifiable) {
      ctx.out(`  ${algorithm}: ${usernames.length} user(s): ${namedUsers(usernames)}`);
    }
    const suggested = [...ctx.passwords.hasher.hashers, ...unverifiable.map(([algorithm]) => algorithm)].join(",");
    ctx.out(
      `  To let them log in with their old passwords, add the hasher(s) to PASSWORD_HASHERS ` +
        `(PASSWORD_HASHERS=${suggested}): each hash is then upgraded at the user's next login. ` +
        `Otherwise they must reset their password.`,
    );
  }
  if (report.unreadable.length > 0) {
    ctx.out(
      `Warning: ${report.unreadable.length} imported user(s) had a password hash in a format tsbin cannot read ` +
        `and got an unusable password; they must reset their password: ${namedUsers(report.unreadable)}`,
    );
  }
}

/**
 * Imports users (and groups) from Django's `dumpdata auth` JSON. Password hashes are kept as they
 * are — tsbin reads Django's formats and upgrades them at the next login. A record that cannot be
 * stored (a field missing, too long or unreadable; a username or email already taken) is skipped
 * and reported, and the others are imported; every imported user gets a profile.
 */
export async function importDjangoUsers(ctx: CommandContext, json: unknown): Promise<ImportReport> {
  const parsed = z.array(dumpRecord).safeParse(json);
  if (!parsed.success)
    throw new CommandError(`not a Django dumpdata file: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const db = ctx.database.db;
  const report: ImportReport = { imported: 0, skipped: [], groups: 0, unverifiable: {}, unreadable: [] };
  const groupIds = new Map<number | string, number>();
  const configured: ReadonlySet<string> = new Set(ctx.passwords.hasher.hashers);

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

  for (const [index, record] of parsed.data.entries()) {
    if (record.model !== "auth.group") continue;
    const label = recordLabel(record, index, "name", "group ");
    const group = groupRecord.safeParse(record);
    if (!group.success) {
      report.skipped.push(`${label}: ${describeIssues(record, group.error.issues)}`);
      continue;
    }
    const { name } = group.data.fields;
    const problem = textProblem("name", name, GROUP_NAME_COLUMN_LENGTH);
    if (problem !== null) {
      report.skipped.push(`${label}: ${problem}`);
      continue;
    }
    try {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(groups)
          .values({ name })
          .onConflictDoUpdate({ target: groups.name, set: { name } })
          .returning({ id: groups.id });
        if (!row) throw new Error("insert into groups returned no row");
        for (const ref of group.data.fields.permissions) {
          const id = await permissionId(tx, ref);
          if (id !== undefined)
            await tx.insert(groupPermissions).values({ groupId: row.id, permissionId: id }).onConflictDoNothing();
        }
        groupIds.set(name, row.id);
        if (group.data.pk !== undefined) groupIds.set(group.data.pk, row.id);
      });
      report.groups += 1;
    } catch (error) {
      report.skipped.push(`${label}: ${recordFailure(error, label)}`);
    }
  }

  for (const [index, record] of parsed.data.entries()) {
    if (record.model !== "auth.user") continue;
    const label = recordLabel(record, index, "username");
    const user = userRecord.safeParse(record);
    if (!user.success) {
      report.skipped.push(`${label}: ${describeIssues(record, user.error.issues)}`);
      continue;
    }
    const f = user.data.fields;
    const values = prepareUser(f);
    if (typeof values === "string") {
      report.skipped.push(`${label}: ${values}`);
      continue;
    }
    const { username, email, password } = values;
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
            firstName: f.first_name,
            lastName: f.last_name,
            isStaff: f.is_staff,
            isSuperuser: f.is_superuser,
            isActive: f.is_active,
            lastLogin: values.lastLogin,
            dateJoined: values.dateJoined,
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
    } catch (error) {
      const conflict = userConflictFrom(error);
      const reason = conflict ? IMPORT_CONFLICTS[conflict.field][conflict.kind] : recordFailure(error, label);
      report.skipped.push(`${label}: ${reason}`);
      continue;
    }
    report.imported += 1;
    if (password !== f.password) report.unreadable.push(username);
    const algorithm = isPasswordUsable(password) ? identifyHasher(password) : null;
    if (algorithm !== null && !configured.has(algorithm)) (report.unverifiable[algorithm] ??= []).push(username);
  }
  ctx.out(`Imported ${report.imported} user(s) and ${report.groups} group(s).`);
  for (const line of report.skipped) ctx.out(`Skipped ${line}.`);
  warnAboutPasswords(ctx, report);
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

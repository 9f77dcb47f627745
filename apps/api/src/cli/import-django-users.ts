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
import { warnAboutLeftOut, warnAboutNaiveDates, warnAboutPasswords } from "./django-import-warnings.ts";

export interface ImportReport {
  imported: number;
  /** One entry per record left out: what it is, a colon, and why. */
  skipped: string[];
  groups: number;
  /** Imported users whose hash is of a known algorithm that PASSWORD_HASHERS leaves out, by algorithm. */
  unverifiable: Partial<Record<PasswordHasherName, string[]>>;
  /** Imported users whose hash is empty or of no format tsbin reads: they must reset their password. */
  unreadable: string[];
  /** Imported users and groups whose permissions the file gives by number, which nothing here can match. */
  numericPermissions: string[];
  /** Permissions the file names ("app_label.codename") that tsbin does not have, so not given to anyone. */
  unknownPermissions: string[];
  /** Imported users whose groups are neither in the file nor in tsbin: "username (group ref)". */
  missingGroups: string[];
  /** Imported users with a date without a time zone (Django's USE_TZ = False), read as UTC. */
  naiveDates: string[];
}

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
  const report: ImportReport = {
    imported: 0,
    skipped: [],
    groups: 0,
    unverifiable: {},
    unreadable: [],
    numericPermissions: [],
    unknownPermissions: [],
    missingGroups: [],
    naiveDates: [],
  };
  // Groups imported from this file, by name and by their pk in the source database.
  const groupIds = new Map<number | string, number>();
  const configured: ReadonlySet<string> = new Set(ctx.passwords.hasher.hashers);
  const unknownPermissions = new Set<string>();

  /**
   * The permission ids for `refs`. Numeric refs are Django's primary keys, which differ from one
   * database to the next: they are left out, and `label` is reported once. Takes the executor
   * explicitly: inside a transaction every query must use it (PGlite has a single connection, so a
   * query outside the transaction would wait for it forever).
   */
  const permissionIds = async (
    executor: Database,
    refs: readonly PermissionRef[],
    label: string,
  ): Promise<number[]> => {
    if (refs.some((ref) => typeof ref === "number")) report.numericPermissions.push(label);
    const ids: number[] = [];
    for (const ref of refs) {
      if (typeof ref === "number") continue;
      const [codename, appLabel] = ref;
      const [row] = await executor
        .select({ id: permissions.id })
        .from(permissions)
        .where(and(eq(permissions.codename, codename), eq(permissions.appLabel, appLabel)))
        .limit(1);
      if (row) ids.push(row.id);
      else unknownPermissions.add(`${appLabel}.${codename}`);
    }
    return ids;
  };

  /** A user's group: one imported from this file (by pk or name), else a group tsbin already has by that name. */
  const groupId = async (executor: Database, ref: number | [string]): Promise<number | undefined> => {
    const key = typeof ref === "number" ? ref : ref[0];
    const imported = groupIds.get(key);
    if (imported !== undefined || typeof key === "number") return imported;
    const [row] = await executor.select({ id: groups.id }).from(groups).where(eq(groups.name, key)).limit(1);
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
    const numericBefore = report.numericPermissions.length;
    try {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(groups)
          .values({ name })
          .onConflictDoUpdate({ target: groups.name, set: { name } })
          .returning({ id: groups.id });
        if (!row) throw new Error("insert into groups returned no row");
        for (const id of await permissionIds(tx, group.data.fields.permissions, label)) {
          await tx.insert(groupPermissions).values({ groupId: row.id, permissionId: id }).onConflictDoNothing();
        }
        groupIds.set(name, row.id);
        if (group.data.pk !== undefined) groupIds.set(group.data.pk, row.id);
      });
      report.groups += 1;
    } catch (error) {
      report.skipped.push(`${label}: ${recordFailure(error, label)}`);
      report.numericPermissions.length = numericBefore;
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
    // Kept only once the user is stored: a transaction rolled back leaves no membership to report.
    const missing: string[] = [];
    const numericBefore = report.numericPermissions.length;
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
          const id = await groupId(tx, ref);
          if (id !== undefined)
            await tx.insert(userGroups).values({ userId: row.id, groupId: id }).onConflictDoNothing();
          else missing.push(`${username} (group ${typeof ref === "number" ? `pk ${ref}` : printable(ref[0])})`);
        }
        for (const id of await permissionIds(tx, f.user_permissions, username)) {
          await tx.insert(userPermissions).values({ userId: row.id, permissionId: id }).onConflictDoNothing();
        }
      });
    } catch (error) {
      const conflict = userConflictFrom(error);
      const reason = conflict ? IMPORT_CONFLICTS[conflict.field][conflict.kind] : recordFailure(error, label);
      report.skipped.push(`${label}: ${reason}`);
      report.numericPermissions.length = numericBefore;
      continue;
    }
    report.imported += 1;
    report.missingGroups.push(...missing);
    if (values.naiveDates) report.naiveDates.push(username);
    const algorithm = isPasswordUsable(password) ? identifyHasher(password) : undefined;
    if (algorithm === null) report.unreadable.push(username);
    else if (algorithm !== undefined && !configured.has(algorithm)) {
      (report.unverifiable[algorithm] ??= []).push(username);
    }
  }
  report.unknownPermissions.push(...unknownPermissions);
  ctx.out(`Imported ${report.imported} user(s) and ${report.groups} group(s).`);
  for (const line of report.skipped) ctx.err(`Skipped ${line}.`);
  warnAboutLeftOut(ctx.err, report);
  warnAboutPasswords(ctx.err, report, ctx.passwords.hasher.hashers);
  warnAboutNaiveDates(ctx.err, report);
  return report;
}

/** Whether the file was imported only in part: a record skipped, or a membership or permission left out. */
export function importedInPart(report: ImportReport): boolean {
  return (
    report.skipped.length > 0 ||
    report.numericPermissions.length > 0 ||
    report.unknownPermissions.length > 0 ||
    report.missingGroups.length > 0
  );
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
        // JSON.parse quotes the start of the file, newlines and all; the error stays one line.
        const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ");
        throw new CommandError(`cannot read ${file}: ${message}`);
      }
      await withCommandContext(async (ctx) => {
        // Warnings about hashers alone leave the exit code at 0: every record is in.
        if (importedInPart(await importDjangoUsers(ctx, json))) process.exitCode = 1;
      });
    });
}

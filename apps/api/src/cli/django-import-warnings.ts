import type { PasswordHasherName } from "@tsbin/auth-core/server";
import { printable } from "./django-dump-records.ts";
import type { ImportReport } from "./import-django-users.ts";

/** How many names a warning shows before "and N more". */
const NAMED_IN_WARNING = 5;

function named(names: readonly string[]): string {
  const shown = names.slice(0, NAMED_IN_WARNING).map(printable).join(", ");
  const more = names.length - NAMED_IN_WARNING;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

/** Tells what of the imported users and groups was left out: memberships and permissions that nothing here matches. */
export function warnAboutLeftOut(print: (line: string) => void, report: ImportReport): void {
  if (report.numericPermissions.length > 0) {
    print(
      `Warning: permissions given by number were not imported, for ${named(report.numericPermissions)}: ` +
        `Django numbers permissions per database. Dump with ` +
        `\`python manage.py dumpdata auth --natural-foreign --natural-primary\` to name them instead.`,
    );
  }
  if (report.unknownPermissions.length > 0) {
    print(
      `Warning: ${report.unknownPermissions.length} permission(s) tsbin does not have were not given to anyone: ` +
        named(report.unknownPermissions),
    );
  }
  if (report.missingGroups.length > 0) {
    print(
      `Warning: ${report.missingGroups.length} group membership(s) were not imported, the group being neither ` +
        `in the file nor in tsbin: ${named(report.missingGroups)}`,
    );
  }
}

/** Tells which imported users cannot log in yet, and what to do about it. */
export function warnAboutPasswords(
  print: (line: string) => void,
  report: ImportReport,
  configured: readonly PasswordHasherName[],
): void {
  const unverifiable = Object.entries(report.unverifiable);
  if (unverifiable.length > 0) {
    const total = unverifiable.reduce((sum, [, usernames]) => sum + usernames.length, 0);
    print(
      `Warning: ${total} imported user(s) cannot log in yet: PASSWORD_HASHERS does not list the hasher of their password hash.`,
    );
    for (const [algorithm, usernames] of unverifiable) {
      print(`  ${algorithm}: ${usernames.length} user(s): ${named(usernames)}`);
    }
    const suggested = [...configured, ...unverifiable.map(([algorithm]) => algorithm)].join(",");
    print(
      `  To let them log in with their old passwords, add the hasher(s) to PASSWORD_HASHERS ` +
        `(PASSWORD_HASHERS=${suggested}): each hash is then upgraded at the user's next login. ` +
        `Otherwise they must reset their password.`,
    );
  }
  if (report.unreadable.length > 0) {
    print(
      `Warning: ${report.unreadable.length} imported user(s) have no password hash tsbin can read (empty, or ` +
        `crypt or a custom hasher) and cannot log in with a password until they reset it by email or ` +
        `\`pnpm manage changepassword\` sets one: ${named(report.unreadable)}`,
    );
  }
}

/** Tells whose dates came without a time zone, and how they were read. */
export function warnAboutNaiveDates(print: (line: string) => void, report: ImportReport): void {
  if (report.naiveDates.length === 0) return;
  print(
    `Warning: ${report.naiveDates.length} imported user(s) have dates without a time zone (a Django project with ` +
      `USE_TZ = False writes them in its TIME_ZONE); they were read as UTC: ${named(report.naiveDates)}`,
  );
}

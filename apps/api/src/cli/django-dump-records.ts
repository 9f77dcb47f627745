/**
 * The records of Django's `dumpdata auth` JSON, read and checked one at a time: what each must hold,
 * how a record is named in a message, and the user values it gives once every field fits tsbin's
 * columns and rules.
 */
import {
  containsNul,
  EMAIL_MAX_LENGTH,
  exceedsCodePoints,
  normalizeEmail,
  normalizeUsername,
  USERNAME_MAX_LENGTH,
  validateUsername,
} from "@tsbin/auth-core";
import { z } from "zod";

// Permissions come as natural keys ([codename, app_label, model]) with `dumpdata --natural-foreign`,
// or as numeric ids that mean nothing outside the source database.
const permissionRef = z.union([z.tuple([z.string(), z.string(), z.string()]), z.number()]);
const groupRef = z.union([z.tuple([z.string()]), z.number()]);

// Django never writes null for these (its columns are NOT NULL), so null is refused, not defaulted.
export const userRecord = z.object({
  model: z.literal("auth.user"),
  pk: z.union([z.number(), z.string()]).optional(),
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

export const groupRecord = z.object({
  model: z.literal("auth.group"),
  pk: z.number().optional(),
  fields: z.object({ name: z.string(), permissions: z.array(permissionRef).default([]) }),
});

export const dumpRecord = z.object({ model: z.string() }).loose();

// The users table's varchar lengths (packages/db/src/schema/users.ts), in code points as PostgreSQL counts.
const PASSWORD_COLUMN_LENGTH = 255;
const NAME_COLUMN_LENGTH = 150;
export const GROUP_NAME_COLUMN_LENGTH = 150;

// The forms Django's serializer writes (isoformat, with or without an offset); anything else that
// `Date` might still guess at ("1", "May 1") would be imported as a made-up date.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** How much of a name from the file a message shows. */
const LABEL_MAX_LENGTH = 40;

export type PermissionRef = z.infer<typeof permissionRef>;
type UserFields = z.infer<typeof userRecord>["fields"];

/** A name from the file as a message may show it: control and format characters escaped, long ones cut. */
export function printable(value: string): string {
  const points = [...value];
  const shown = points.length > LABEL_MAX_LENGTH ? `${points.slice(0, LABEL_MAX_LENGTH).join("")}…` : value;
  return shown.replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What a message calls a record: its username (or group name), else its pk, else its place in the file. */
export function recordLabel(record: Record<string, unknown>, index: number, nameField: string, kind = ""): string {
  const fields = record["fields"];
  const name = isObject(fields) ? fields[nameField] : undefined;
  const pk = record["pk"];
  const pkText = typeof pk === "number" || typeof pk === "string" ? `pk ${printable(String(pk))}` : undefined;
  if (typeof name === "string" && name !== "") {
    const shown = printable(name);
    // A name cut short or escaped may not be enough to find the record by.
    return `${kind}${shown}${shown !== name && pkText !== undefined ? ` (${pkText})` : ""}`;
  }
  return `${kind}${pkText ?? `record ${index + 1}`}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Why zod refused a record, one phrase per field, naming the field as the dump does. */
export function describeIssues(record: unknown, issues: z.ZodError["issues"]): string {
  const phrases = issues.map((issue) => {
    const path = issue.path[0] === "fields" ? issue.path.slice(1) : issue.path;
    const name = path.length > 0 ? path.map(String).join(".") : "fields";
    const value = valueAt(record, issue.path);
    if (value === undefined) return `${name} is missing`;
    if (value === null) return `${name} is null`;
    if (issue.code === "invalid_type")
      return `${name} must be ${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
    return `${name} is not valid`;
  });
  return [...new Set(phrases)].join("; ");
}

interface ParsedDate {
  date: Date;
  /** No time zone was given (a project with USE_TZ = False): the value was read as UTC. */
  naive: boolean;
}

/**
 * A date-time of the dump, or null when it is not one (February 30th, 25 o'clock). One without a
 * time zone is read as UTC, whatever the importing machine's zone, and said to be naive.
 */
function parseDate(value: string): ParsedDate | null {
  const parts = ISO_DATE_TIME.exec(value);
  if (parts === null) return null;
  const [year, month, day, hour, minute, second = 0] = parts.slice(1, 7).map((part) => Number(part ?? 0));
  const calendar = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second));
  const exists =
    calendar.getUTCMonth() === (month ?? 1) - 1 &&
    calendar.getUTCDate() === day &&
    calendar.getUTCHours() === hour &&
    calendar.getUTCMinutes() === minute &&
    calendar.getUTCSeconds() === second;
  const naive = parts[7] === undefined;
  const date = new Date(value.replace(" ", "T") + (naive ? "Z" : ""));
  return exists && !Number.isNaN(date.getTime()) ? { date, naive } : null;
}

/** What the users table would refuse in a text field: a NUL character, or more than fits. */
export function textProblem(field: string, value: string, max: number): string | null {
  if (containsNul(value)) return `${field} contains a NUL character`;
  if (exceedsCodePoints(value, max)) return `${field} is longer than ${max} characters`;
  return null;
}

export interface UserValues {
  username: string;
  email: string;
  password: string;
  lastLogin: Date | null;
  dateJoined: Date;
  /** A date came without a time zone and was read as UTC. */
  naiveDates: boolean;
}

/** The record's values as tsbin stores them, or why it cannot store them. */
export function prepareUser(f: UserFields): UserValues | string {
  // Kept as Django has it, even when empty or of a format tsbin cannot read (Django's crypt, a custom
  // hasher): it never verifies, but as in Django its owner can reset it by email.
  const { password } = f;
  const email = normalizeEmail(f.email);
  const problems = [
    textProblem("username", f.username, USERNAME_MAX_LENGTH),
    textProblem("password", password, PASSWORD_COLUMN_LENGTH),
    textProblem("email", email, EMAIL_MAX_LENGTH),
    textProblem("first_name", f.first_name, NAME_COLUMN_LENGTH),
    textProblem("last_name", f.last_name, NAME_COLUMN_LENGTH),
  ].filter((problem) => problem !== null);
  const lastLogin = f.last_login ? parseDate(f.last_login) : null;
  if (f.last_login && lastLogin === null) problems.push("last_login is not a date");
  const dateJoined = f.date_joined === undefined ? { date: new Date(), naive: false } : parseDate(f.date_joined);
  if (dateJoined === null) problems.push("date_joined is not a date");
  if (problems.length > 0 || dateJoined === null) return problems.join("; ");

  // Django's own rules: a username Django accepted keeps working, whatever scripts it mixes.
  const invalid = validateUsername(f.username, { allowMixedScripts: true });
  if (invalid.length > 0) return `username is not valid (${invalid.join(" ")})`;
  return {
    username: normalizeUsername(f.username),
    email,
    password,
    lastLogin: lastLogin?.date ?? null,
    dateJoined: dateJoined.date,
    naiveDates: dateJoined.naive || lastLogin?.naive === true,
  };
}

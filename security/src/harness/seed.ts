import { emailKey, normalizeEmail, normalizeUsername, usernameKey } from "@tsbin/auth-core";
import { hashPassword } from "@tsbin/auth-core/server";
import { randomBytes } from "node:crypto";
import type { Sql } from "./database.ts";
import type { Client, TrpcResponse } from "./http.ts";
import { recordSecret } from "./record.ts";

export interface SeededUser {
  id: number;
  username: string;
  email: string;
  password: string;
}

let counter = 0;

/** A username no other check uses: lower-case letters and digits, at most 24 characters. */
export function uniqueName(prefix = "u"): string {
  counter += 1;
  return `${prefix}${counter.toString(36)}${randomBytes(4).toString("hex")}`.slice(0, 24);
}

/** A password every validator accepts, unique per call, recorded for the log hygiene check. */
export function strongPassword(): string {
  const password = `Sec ${randomBytes(9).toString("base64url")} pass`;
  recordSecret("password", password);
  return password;
}

const hashes = new Map<string, Promise<string>>();

/** The hash the server itself would store (argon2id at the production parameters), cached per password. */
export function defaultHash(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

export interface SeedOptions {
  username?: string;
  /** `null` for no email address. */
  email?: string | null;
  password?: string;
  /** A ready encoded hash (legacy formats, unusable passwords); `password` is then only remembered. */
  passwordHash?: string;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  firstName?: string;
}

/** Inserts a user and its profile by SQL, the way `createUser` would, and returns its credentials. */
export async function seedUser(sql: Sql, options: SeedOptions = {}): Promise<SeededUser> {
  const username = normalizeUsername(options.username ?? uniqueName());
  const email = options.email === null ? "" : normalizeEmail(options.email ?? `${username}@example.com`);
  const password = options.password ?? strongPassword();
  recordSecret("password", password);
  const hash = options.passwordHash ?? (await defaultHash(password));
  const rows = await sql.unsafe<{ user_id: number }[]>(
    `with u as (
       insert into users (password, username, username_key, email, email_key, is_active, is_staff, is_superuser, first_name)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id)
     insert into profiles (user_id) select id from u returning user_id`,
    [
      hash,
      username,
      usernameKey(username),
      email,
      email === "" ? null : emailKey(email),
      options.isActive ?? true,
      options.isStaff ?? false,
      options.isSuperuser ?? false,
      options.firstName ?? "",
    ],
  );
  const id = rows[0]?.user_id;
  if (id === undefined) throw new Error("seeding a user returned no row");
  return { id, username, email, password };
}

/** Logs the client in and insists on success. */
export async function logIn(client: Client, username: string, password: string): Promise<TrpcResponse> {
  recordSecret("password", password);
  const response = await client.mutation("auth.login", { username, password });
  if (response.status !== 200)
    throw new Error(`login of ${username} answered ${response.status}: ${response.body.slice(0, 300)}`);
  return response;
}

/** Seeds a user and logs `client` in as that user. */
export async function seedAndLogIn(sql: Sql, client: Client, options: SeedOptions = {}): Promise<SeededUser> {
  const user = await seedUser(sql, options);
  await logIn(client, user.username, user.password);
  return user;
}

/** The id half of an `<id>.<secret>` session token: the primary key of its row. */
export function sessionIdOf(token: string): string {
  return token.split(".")[0] ?? "";
}

/** A well-formed token the server never issued. */
export function forgedToken(): string {
  const part = (): string => Array.from(randomBytes(32), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("");
  return `${part()}.${part()}`;
}

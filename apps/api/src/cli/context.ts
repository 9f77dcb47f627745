import type { PasswordHasherParamsInput } from "@tsbin/auth-core/server";
import type { DbHandle } from "@tsbin/db";
import type { RequestMeta } from "../auth/hooks.ts";
import { Hooks } from "../auth/hooks.ts";
import { PasswordService } from "../auth/password-service.ts";
import { createProfileForUser } from "../auth/user-store.ts";
import { loadEnv, type Env } from "../env.ts";
import { openDatabaseOrExplain } from "../open-database.ts";

/** What a management command works with. Tests build it on a test database. */
export interface CommandContext {
  database: DbHandle;
  passwords: PasswordService;
  hooks: Hooks;
  meta: RequestMeta;
  /** Results, on standard output. */
  out: (line: string) => void;
  /** Problems and warnings, on standard error. */
  err: (line: string) => void;
}

/** The audit log's "where from" for changes made at the command line. */
export const CLI_META: RequestMeta = { ipAddress: "cli", userAgent: "pnpm manage" };

export function createCommandContext(
  database: DbHandle,
  env: Pick<Env, "passwordHashers">,
  out: (line: string) => void,
  hasherParams?: PasswordHasherParamsInput,
  err: (line: string) => void = out,
): CommandContext {
  const hooks = new Hooks();
  hooks.on("userCreated", createProfileForUser);
  const passwords = new PasswordService({ hashers: env.passwordHashers, params: hasherParams });
  return { database, passwords, hooks, meta: CLI_META, out, err };
}

/** Opens the configured (migrated) database, runs the command, and always closes it. */
export async function withCommandContext(run: (ctx: CommandContext) => Promise<void>): Promise<void> {
  const env = loadEnv();
  const { database } = await openDatabaseOrExplain(env);
  try {
    const out = (line: string): void => void process.stdout.write(`${line}\n`);
    const err = (line: string): void => void process.stderr.write(`${line}\n`);
    await run(createCommandContext(database, env, out, undefined, err));
  } finally {
    await database.close();
  }
}

/** A command failed for a reason the user can fix; printed as one line, exit code 1. */
export class CommandError extends Error {
  override readonly name = "CommandError";
}

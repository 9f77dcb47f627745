import { validateEmail, validatePassword, validateUsername } from "@tsbin/auth-core";
import { confirm, input, password as promptPassword } from "@inquirer/prompts";
import type { Command } from "commander";
import { emailConflict, usernameConflict } from "../auth/user-lookup.ts";
import { createUser, UserConflictError } from "../auth/user-store.ts";
import { CommandError, withCommandContext, type CommandContext } from "./context.ts";

export interface CreateSuperuserInput {
  username: string;
  email: string;
  password: string;
}

/** Creates an active staff superuser (and its profile), after Django's validators. */
export async function createSuperuser(
  ctx: CommandContext,
  values: CreateSuperuserInput,
  options: { skipPasswordValidation?: boolean } = {},
): Promise<void> {
  const problems = [
    ...validateUsername(values.username).map((m) => `Username: ${m}`),
    ...(values.email === "" ? [] : validateEmail(values.email).map((m) => `Email address: ${m}`)),
  ];
  if (problems.length > 0) throw new CommandError(problems.join(" "));
  if (!options.skipPasswordValidation) {
    const errors = await validatePassword(values.password, { username: values.username, email: values.email });
    if (errors.length > 0) throw new CommandError(`Password: ${errors.map((e) => e.message).join(" ")}`);
  }
  try {
    const user = await createUser(
      ctx.database.db,
      ctx.hooks,
      {
        username: values.username,
        email: values.email,
        passwordHash: await ctx.passwords.hash(values.password),
        isStaff: true,
        isSuperuser: true,
      },
      ctx.meta,
    );
    ctx.out(`Superuser "${user.username}" created successfully.`);
  } catch (error) {
    if (error instanceof UserConflictError) throw new CommandError(error.message);
    throw error;
  }
}

/** Why `username` cannot be the new superuser's, as the prompt says it; null when it can. */
async function usernameProblem(ctx: CommandContext, username: string): Promise<string | null> {
  const errors = validateUsername(username);
  if (errors.length > 0) return errors.join(" ");
  const conflict = await usernameConflict(ctx.database.db, username);
  if (!conflict) return null;
  // Django's own wording for a taken name; the other case has the API's message.
  return conflict.kind === "taken" ? "That username is already taken." : conflict.message;
}

/** Why `email` cannot be the new superuser's (a blank one can); null when it can. */
async function emailProblem(ctx: CommandContext, email: string): Promise<string | null> {
  if (email === "") return null;
  const errors = validateEmail(email);
  if (errors.length > 0) return errors.join(" ");
  return (await emailConflict(ctx.database.db, email))?.message ?? null;
}

/**
 * Asks for what the options did not give. A username or email given as an option that cannot be
 * used is refused before any question, as Django does, rather than after the passwords.
 */
/** An option's value refused before the prompts; printed as Django prints it. */
class PromptRefusal extends Error {
  override readonly name = "PromptRefusal";
}

async function promptForSuperuser(
  ctx: CommandContext,
  given: { username?: string; email?: string },
): Promise<{ values: CreateSuperuserInput; skip: boolean }> {
  for (const problem of [
    given.username === undefined ? null : await usernameProblem(ctx, given.username),
    given.email === undefined ? null : await emailProblem(ctx, given.email),
  ]) {
    if (problem !== null) throw new PromptRefusal(problem);
  }
  const username =
    given.username ??
    (await input({
      message: "Username:",
      validate: async (value) => (await usernameProblem(ctx, value)) ?? true,
    }));
  const email =
    given.email ??
    (await input({
      message: "Email address:",
      validate: async (value) => (await emailProblem(ctx, value)) ?? true,
    }));
  for (;;) {
    const first = await promptPassword({ message: "Password:", mask: "*" });
    const second = await promptPassword({ message: "Password (again):", mask: "*" });
    if (first !== second) {
      ctx.out("Error: Your passwords didn't match.");
      continue;
    }
    if (first === "") {
      ctx.out("Error: Blank passwords aren't allowed.");
      continue;
    }
    const errors = await validatePassword(first, { username, email });
    if (errors.length === 0) return { values: { username, email, password: first }, skip: false };
    for (const error of errors) ctx.out(error.message);
    if (await confirm({ message: "Bypass password validation and create user anyway?", default: false })) {
      return { values: { username, email, password: first }, skip: true };
    }
  }
}

export function registerCreateSuperuser(program: Command): void {
  program
    .command("createsuperuser")
    .description("create a superuser (staff, all permissions); asks for the details unless --no-input")
    .option("--username <username>", "the superuser's username")
    .option("--email <email>", "the superuser's email address")
    .option("--no-input", "do not prompt: take --username, --email and the password from TSBIN_SUPERUSER_PASSWORD")
    .action(async (options: { username?: string; email?: string; input: boolean }) => {
      // Without a terminal the prompts would end at once and quietly, like Ctrl-C (Django refuses too).
      if (options.input && !process.stdin.isTTY) {
        throw new CommandError(
          "createsuperuser needs a terminal to ask for the password; use --no-input with --username, --email and TSBIN_SUPERUSER_PASSWORD",
        );
      }
      await withCommandContext(async (ctx) => {
        if (options.input) {
          try {
            const { values, skip } = await promptForSuperuser(ctx, options);
            await createSuperuser(ctx, values, { skipPasswordValidation: skip });
          } catch (error) {
            if (!(error instanceof PromptRefusal)) throw error;
            // Django's form of the message at its prompts.
            ctx.err(`Error: ${error.message}`);
            process.exitCode = 1;
          }
          return;
        }
        const password = process.env["TSBIN_SUPERUSER_PASSWORD"];
        if (!options.username) throw new CommandError("--username is required with --no-input.");
        if (options.email === undefined) throw new CommandError("--email is required with --no-input.");
        if (!password) throw new CommandError("Set TSBIN_SUPERUSER_PASSWORD to the password when using --no-input.");
        await createSuperuser(ctx, { username: options.username, email: options.email, password });
      });
    });
}

import { validateEmail, validatePassword, validateUsername } from "@tsbin/auth-core";
import { confirm, input, password as promptPassword } from "@inquirer/prompts";
import type { Command } from "commander";
import { usernameConflict } from "../auth/user-lookup.ts";
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

async function promptForSuperuser(
  ctx: CommandContext,
  given: { username?: string; email?: string },
): Promise<{ values: CreateSuperuserInput; skip: boolean }> {
  const username =
    given.username ??
    (await input({
      message: "Username:",
      validate: async (value) => {
        const errors = validateUsername(value);
        if (errors.length > 0) return errors.join(" ");
        const conflict = await usernameConflict(ctx.database.db, value);
        if (!conflict) return true;
        // Django's own wording for a taken name; the other case has the API's message.
        return conflict.kind === "taken" ? "That username is already taken." : conflict.message;
      },
    }));
  const email =
    given.email ??
    (await input({
      message: "Email address:",
      validate: (value) => value === "" || validateEmail(value).join(" ") || true,
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
          const { values, skip } = await promptForSuperuser(ctx, options);
          await createSuperuser(ctx, values, { skipPasswordValidation: skip });
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

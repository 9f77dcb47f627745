import { usernameKey, validatePassword, type User } from "@tsbin/auth-core";
import { password as promptPassword } from "@inquirer/prompts";
import type { Command } from "commander";
import { invalidateUserSessions } from "../auth/session-store.ts";
import { expireResetTokens, findUserForLogin, setPasswordHash, type UserWithPassword } from "../auth/user-store.ts";
import { CommandError, withCommandContext, type CommandContext } from "./context.ts";

/** Django's `changepassword` gives up after this many tries. */
const MAX_TRIES = 3;

/**
 * The user a command names, matched as a login matches it (NFKC and case folding: `STRASSE` finds
 * `straße`), but by username only, not by email address as a login may be.
 */
async function findUser(ctx: CommandContext, username: string): Promise<UserWithPassword> {
  const found = await findUserForLogin(ctx.database, username);
  if (!found || usernameKey(found.user.username) !== usernameKey(username)) {
    throw new CommandError(`user '${username}' does not exist`);
  }
  return found;
}

/** Django's validators on the new password, as the one line of messages to show; null when it passes. */
async function passwordProblems(user: User, newPassword: string): Promise<string | null> {
  const errors = await validatePassword(newPassword, user);
  return errors.length > 0 ? errors.map((e) => e.message).join(" ") : null;
}

/** Sets the password, ends all the user's sessions and outstanding reset links. */
async function setPassword(ctx: CommandContext, user: User, newPassword: string): Promise<void> {
  const hash = await ctx.passwords.hash(newPassword);
  const db = ctx.database.db;
  await db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, hash);
    await invalidateUserSessions(tx, user.id);
    await expireResetTokens(tx, user.id);
  });
  await ctx.hooks.emit("passwordChanged", { user, via: "cli", meta: ctx.meta, db });
  ctx.out(`Password changed successfully for user '${user.username}'.`);
}

/** Sets a user's password, ends all their sessions and outstanding reset links. */
export async function changePassword(ctx: CommandContext, username: string, newPassword: string): Promise<void> {
  const { user } = await findUser(ctx, username);
  const problems = await passwordProblems(user, newPassword);
  if (problems !== null) throw new CommandError(problems);
  await setPassword(ctx, user, newPassword);
}

/**
 * Django's interactive changepassword: the user is looked up first, so that nobody types a new
 * password twice only to learn the name was wrong; then up to three tries at typing it twice alike
 * and passing the validators.
 */
export async function changePasswordInteractively(
  ctx: CommandContext,
  username: string,
  ask: (message: string) => Promise<string>,
): Promise<void> {
  const { user } = await findUser(ctx, username);
  ctx.out(`Changing password for user '${user.username}'`);
  for (let attempt = 1; attempt <= MAX_TRIES; attempt += 1) {
    const first = await ask("Password:");
    const second = await ask("Password (again):");
    if (first !== second) {
      ctx.out("Passwords do not match. Please try again.");
      continue;
    }
    const problems = await passwordProblems(user, first);
    if (problems !== null) {
      ctx.out(problems);
      continue;
    }
    await setPassword(ctx, user, first);
    return;
  }
  throw new CommandError(`Aborting password change for user '${user.username}' after ${MAX_TRIES} attempts`);
}

export function registerChangePassword(program: Command): void {
  program
    .command("changepassword")
    .description("change a user's password (asks twice; with --no-input, reads TSBIN_PASSWORD)")
    .argument("<username>", "whose password to change")
    .option("--no-input", "do not prompt: take the new password from TSBIN_PASSWORD")
    .action(async (username: string, options: { input: boolean }) => {
      await withCommandContext(async (ctx) => {
        if (!options.input) {
          const password = process.env["TSBIN_PASSWORD"];
          if (!password) throw new CommandError("Set TSBIN_PASSWORD to the new password when using --no-input.");
          await changePassword(ctx, username, password);
          return;
        }
        if (!process.stdin.isTTY) {
          // An unknown name is still the first thing to hear about, as it is at a terminal.
          await findUser(ctx, username);
          throw new CommandError(
            "changepassword needs a terminal to ask for the new password; use --no-input with TSBIN_PASSWORD",
          );
        }
        await changePasswordInteractively(ctx, username, (message) => promptPassword({ message, mask: "*" }));
      });
    });
}

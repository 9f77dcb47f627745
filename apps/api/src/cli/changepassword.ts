import { validatePassword } from "@tsbin/auth-core";
import { password as promptPassword } from "@inquirer/prompts";
import type { Command } from "commander";
import { invalidateUserSessions } from "../auth/session-store.ts";
import { expireResetTokens, findUserForLogin, setPasswordHash } from "../auth/user-store.ts";
import { CommandError, withCommandContext, type CommandContext } from "./context.ts";

/** Sets a user's password, ends all their sessions and outstanding reset links. */
export async function changePassword(ctx: CommandContext, username: string, newPassword: string): Promise<void> {
  const found = await findUserForLogin(ctx.database, username);
  if (!found || found.user.username.toLowerCase() !== username.toLowerCase()) {
    throw new CommandError(`user '${username}' does not exist`);
  }
  const errors = await validatePassword(newPassword, found.user);
  if (errors.length > 0) throw new CommandError(errors.map((e) => e.message).join(" "));
  const hash = await ctx.passwords.hash(newPassword);
  const db = ctx.database.db;
  await db.transaction(async (tx) => {
    await setPasswordHash(tx, found.user.id, hash);
    await invalidateUserSessions(tx, found.user.id);
    await expireResetTokens(tx, found.user.id);
  });
  await ctx.hooks.emit("passwordChanged", { user: found.user, via: "cli", meta: ctx.meta, db });
  ctx.out(`Password changed successfully for user '${found.user.username}'.`);
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
        ctx.out(`Changing password for user '${username}'`);
        for (let attempt = 1; attempt <= 3; attempt += 1) {
          const first = await promptPassword({ message: "Password:", mask: "*" });
          const second = await promptPassword({ message: "Password (again):", mask: "*" });
          if (first !== second) {
            ctx.out("Passwords do not match. Please try again.");
            continue;
          }
          try {
            await changePassword(ctx, username, first);
            return;
          } catch (error) {
            if (!(error instanceof CommandError) || error.message.includes("does not exist")) throw error;
            ctx.out(error.message);
          }
        }
        throw new CommandError(`Aborting password change for user '${username}' after 3 attempts`);
      });
    });
}

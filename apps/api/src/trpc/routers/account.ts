import { emailKey, normalizeEmail, validateEmail, type User } from "@tsbin/auth-core";
import { updateAccountInput } from "@tsbin/auth-core/schemas";
import { eq, users } from "@tsbin/db";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { emailConflict } from "../../auth/user-lookup.ts";
import { userColumns, userFromRow, publicUser } from "../../auth/user-row.ts";
import { expireResetTokens, findUserById, userConflictFrom } from "../../auth/user-store.ts";
import { emailChangedEmail } from "../../email/email-changed.ts";
import type { Context } from "../context.ts";
import { MESSAGES } from "../errors.ts";
import { compactFieldErrors, FieldErrorsCause } from "../field-errors.ts";
import { loginRequired } from "../procedures.ts";

const SITE_NAME = "tsbin";

/**
 * Checks the user's current password before an email change, as `changePassword` checks the old
 * one: through the password service's bounded queue, against the same per-user budget of wrong
 * passwords. The attempt is counted before the check and given back when the password is right, so
 * that parallel guesses from a stolen session cannot all pass a check made before any was recorded.
 */
async function assertCurrentPassword(ctx: Context, user: User, password: string): Promise<void> {
  const { rateLimits, passwords } = ctx.services;
  const userKey = String(user.id);
  await rateLimits.consume("passwordCheckFailuresPerUser", userKey);
  const found = await findUserById(ctx.db, user.id);
  if (!found) throw new TRPCError({ code: "UNAUTHORIZED", message: MESSAGES.loginRequired });
  const { valid } = await passwords.verify(password, found.passwordHash);
  if (!valid) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: MESSAGES.currentPasswordIncorrect,
      cause: new FieldErrorsCause({ password: [MESSAGES.currentPasswordIncorrect] }),
    });
  }
  await rateLimits.refund("passwordCheckFailuresPerUser", userKey);
}

/** Tells the old address, after the answer, that the account's address changed (to a masked new one). */
function notifyEmailChanged(ctx: Context, user: User, oldEmail: string, newEmail: string): void {
  if (oldEmail === "") return;
  ctx.services.sendInBackground(
    emailChangedEmail({ to: oldEmail, username: user.username, newEmail, siteName: SITE_NAME, when: new Date() }),
  );
}

export const accountRouter = {
  /**
   * Changes the user's name and email address. A new address must be free, and must not be another
   * user's username. Changing the address (any change to the stored value) needs the current
   * password, since reset links go to the address: without it a stolen session could move the
   * address away and reset the password. Such a change also counts against the client IP's sign-up
   * budget (whether an address is taken is what sign-up tells too), makes outstanding password-reset
   * links invalid, and is told to the old address.
   */
  updateAccount: loginRequired.input(updateAccountInput).mutation(async ({ ctx, input }) => {
    const email = input.email.trim() === "" ? "" : normalizeEmail(input.email);
    const emailErrors = email === "" ? [] : validateEmail(email);
    const oldEmail = ctx.user.email;
    const emailChanging = email !== oldEmail;
    const password = input.password ?? "";
    const missingPassword = emailChanging && password === "";
    if (emailErrors.length > 0 || missingPassword) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: MESSAGES.invalidInput,
        cause: new FieldErrorsCause(
          compactFieldErrors({
            email: emailErrors,
            password: missingPassword ? [MESSAGES.emailChangePasswordRequired] : [],
          }) ?? {},
        ),
      });
    }
    if (emailChanging) {
      await assertCurrentPassword(ctx, ctx.user, password);
      await ctx.services.rateLimits.consume("signupsPerIp", ctx.meta.ipAddress);
    }
    const emailKeyChanged = emailKey(email) !== emailKey(oldEmail);
    const conflict = email !== "" && emailKeyChanged ? await emailConflict(ctx.db, email, ctx.user.id) : null;
    if (conflict) throw conflict;
    try {
      const [row] = await ctx.db
        .update(users)
        .set({
          firstName: input.firstName.trim(),
          lastName: input.lastName.trim(),
          email,
          emailKey: email === "" ? null : emailKey(email),
        })
        .where(eq(users.id, ctx.user.id))
        .returning(userColumns);
      if (!row) throw new TRPCError({ code: "UNAUTHORIZED", message: MESSAGES.loginRequired });
      if (emailKeyChanged) await expireResetTokens(ctx.db, ctx.user.id);
      if (emailChanging) notifyEmailChanged(ctx, ctx.user, oldEmail, email);
      return publicUser(userFromRow(row));
    } catch (error) {
      throw userConflictFrom(error) ?? error;
    }
  }),
} satisfies TRPCRouterRecord;

import { validateEmail, validatePassword } from "@tsbin/auth-core";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import {
  consumeResetToken,
  findUsableResetToken,
  issueResetToken,
  type UsableResetToken,
} from "../../auth/reset-tokens.ts";
import { RateLimitedError } from "../../auth/rate-limits.ts";
import { invalidateUserSessions } from "../../auth/session-store.ts";
import {
  expireResetTokens,
  findUserByEmail,
  findUserById,
  replacePasswordHash,
  setPasswordHash,
} from "../../auth/user-store.ts";
import { isPasswordUsable } from "@tsbin/auth-core/server";
import { passwordChangedEmail, passwordResetEmail } from "../../email/templates.ts";
import { MESSAGES } from "../errors.ts";
import { FieldErrorsCause } from "../field-errors.ts";
import { loginRequired, publicProcedure } from "../procedures.ts";
import {
  changePasswordInput,
  requestPasswordResetInput,
  resetPasswordInput,
  resetTokenInput,
} from "@tsbin/auth-core/schemas";
import type { Context } from "../context.ts";
import type { User } from "@tsbin/auth-core";
import { PASSWORD_RESET_TOKEN_TTL_MS } from "@tsbin/auth-core";

const SITE_NAME = "tsbin";

function invalidPassword(field: string, messages: string[]): TRPCError {
  return new TRPCError({
    code: "BAD_REQUEST",
    message: messages.join(" "),
    cause: new FieldErrorsCause({ [field]: messages }),
  });
}

async function assertValidNewPassword(password: string, user: User, field: string): Promise<void> {
  const errors = await validatePassword(password, user);
  if (errors.length > 0)
    throw invalidPassword(
      field,
      errors.map((e) => e.message),
    );
}

function notifyPasswordChanged(ctx: Context, user: User): void {
  if (!user.email) return;
  ctx.services.sendInBackground(
    passwordChangedEmail({ to: user.email, username: user.username, siteName: SITE_NAME, when: new Date() }),
  );
}

async function sendResetEmail(ctx: Context, email: string): Promise<void> {
  const { rateLimits } = ctx.services;
  const found = await findUserByEmail(ctx.db, email);
  // Django sends nothing to inactive users or users without a usable password.
  if (!found || !found.user.isActive || !isPasswordUsable(found.passwordHash)) return;
  // Counted before the email is sent (one atomic increment), so parallel requests cannot all pass.
  try {
    await rateLimits.consume("resetEmailsPerAddress", found.user.email);
  } catch (error) {
    if (error instanceof RateLimitedError) return;
    throw error;
  }
  const token = await issueResetToken(ctx.db, found.user.id, found.user.email);
  ctx.services.sendInBackground(
    passwordResetEmail({
      // The stored address, never the typed one (CVE-2019-19844).
      to: found.user.email,
      username: found.user.username,
      resetUrl: `${ctx.settings.publicUrl}/reset-password/${token}`,
      expiresInMinutes: Math.round(PASSWORD_RESET_TOKEN_TTL_MS / 60_000),
      siteName: SITE_NAME,
    }),
  );
}

/**
 * Looks a reset token up, counting the lookup against the IP's budget first (given back when the
 * token is good), so that parallel guesses cannot all pass a check made before any was recorded.
 */
async function findResetTokenLimited(ctx: Context, token: string): Promise<UsableResetToken | null> {
  const { rateLimits } = ctx.services;
  await rateLimits.consume("resetTokenFailuresPerIp", ctx.meta.ipAddress);
  const usable = await findUsableResetToken(ctx.db, token);
  if (usable) await rateLimits.refund("resetTokenFailuresPerIp", ctx.meta.ipAddress);
  return usable;
}

async function usableTokenOrThrow(ctx: Context, token: string): Promise<UsableResetToken> {
  const usable = await findResetTokenLimited(ctx, token);
  if (!usable) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: MESSAGES.resetLinkInvalid,
      cause: new FieldErrorsCause({ token: [MESSAGES.resetLinkInvalid] }),
    });
  }
  return usable;
}

const resetPassword = publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
  const usable = await usableTokenOrThrow(ctx, input.token);
  const found = await findUserById(ctx.db, usable.userId);
  if (!found) throw new TRPCError({ code: "BAD_REQUEST", message: MESSAGES.resetLinkInvalid });
  await assertValidNewPassword(input.newPassword, found.user, "newPassword");
  const newHash = await ctx.services.passwords.hash(input.newPassword);
  const changed = await ctx.db.transaction(async (tx) => {
    if (!(await consumeResetToken(tx, usable.id))) return false;
    await setPasswordHash(tx, found.user.id, newHash);
    await expireResetTokens(tx, found.user.id);
    await invalidateUserSessions(tx, found.user.id);
    return true;
  });
  if (!changed) throw new TRPCError({ code: "BAD_REQUEST", message: MESSAGES.resetLinkInvalid });
  await ctx.services.hooks.emit("passwordChanged", { user: found.user, via: "reset", meta: ctx.meta, db: ctx.db });
  notifyPasswordChanged(ctx, found.user);
  return { ok: true as const, username: found.user.username };
});

export const passwordRouter = {
  /**
   * Django's PasswordChangeView: checks the old password, validates the new one, keeps this session
   * and ends every other (`update_session_auth_hash`).
   */
  changePassword: loginRequired.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    const { rateLimits, passwords, hooks } = ctx.services;
    const userKey = String(ctx.user.id);
    // Counted before the check and given back when the old password is right, so that parallel
    // guesses from a stolen session cannot all pass a check made before any failure was recorded.
    await rateLimits.consume("passwordCheckFailuresPerUser", userKey);
    const found = await findUserById(ctx.db, ctx.user.id);
    if (!found) throw new TRPCError({ code: "UNAUTHORIZED", message: MESSAGES.loginRequired });
    const { valid } = await passwords.verify(input.oldPassword, found.passwordHash);
    if (!valid) throw invalidPassword("oldPassword", [MESSAGES.passwordIncorrect]);
    await rateLimits.refund("passwordCheckFailuresPerUser", userKey);
    await assertValidNewPassword(input.newPassword, found.user, "newPassword");
    const newHash = await passwords.hash(input.newPassword);
    const session = ctx.session;
    const changed = await ctx.db.transaction(async (tx) => {
      if (!(await replacePasswordHash(tx, found.user.id, found.passwordHash, newHash))) return false;
      await invalidateUserSessions(tx, found.user.id, session.id);
      await expireResetTokens(tx, found.user.id);
      return true;
    });
    if (!changed) throw new TRPCError({ code: "CONFLICT", message: MESSAGES.passwordChangedMeanwhile });
    await hooks.emit("passwordChanged", { user: found.user, via: "change", meta: ctx.meta, db: ctx.db });
    notifyPasswordChanged(ctx, found.user);
    return { ok: true as const };
  }),

  /**
   * Always the same answer, in the same time, whether or not a valid address belongs to an account:
   * the answer waits only for the per-IP limit. Looking the address up, issuing the token and
   * sending the email happen in the background, after the answer; a failure there is logged
   * (error class and code only) and never reaches the client.
   */
  requestPasswordReset: publicProcedure.input(requestPasswordResetInput).mutation(async ({ ctx, input }) => {
    // Django's PasswordResetForm refuses what is not an email address at all. That depends on the
    // text alone, never on the accounts, so it reveals nothing about them.
    const emailErrors = validateEmail(input.email);
    if (emailErrors.length > 0) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: MESSAGES.invalidInput,
        cause: new FieldErrorsCause({ email: emailErrors }),
      });
    }
    await ctx.services.rateLimits.consume("resetRequestsPerIp", ctx.meta.ipAddress);
    const email = input.email.trim();
    ctx.services.background.run("password reset email", () => sendResetEmail(ctx, email));
    return { ok: true as const, message: MESSAGES.resetRequested };
  }),

  /**
   * Whether a reset link can still be used, so the page can say so before the user types. A
   * mutation although it changes nothing but the guess budget: a query would be a GET with the
   * token in its URL, where access logs, proxies and Referer headers can read it.
   *
   * A usable link also names its account: the page puts the username in a hidden field, as
   * Django's template does, so password managers file the new password under the right login.
   * Whoever holds the link already reads that account's mailbox; a refused token names nobody.
   */
  checkResetToken: publicProcedure.input(resetTokenInput).mutation(async ({ ctx, input }) => {
    const usable = await findResetTokenLimited(ctx, input.token);
    return usable === null ? { valid: false as const } : { valid: true as const, username: usable.username };
  }),

  /** Sets a new password from an emailed link: single use, ends every session, sends a notice. */
  resetPassword,
  /** The same as `resetPassword`, under the name Django's view has. */
  confirmPasswordReset: resetPassword,
} satisfies TRPCRouterRecord;

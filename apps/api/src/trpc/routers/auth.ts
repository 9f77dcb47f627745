import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import {
  createUser,
  loginIdentifierKey,
  loginLookup,
  replacePasswordHash,
  userWithPasswordFromLoginRow,
} from "../../auth/user-store.ts";
import { publicUser, whoAmI } from "../../auth/user-row.ts";
import { MESSAGES } from "../errors.ts";
import { FieldErrorsCause } from "../field-errors.ts";
import { logUserIn, logUserOut } from "../login-session.ts";
import { publicProcedure } from "../procedures.ts";
import { mergeFieldErrors, signupConflicts, signupFieldErrors, signupRequest } from "../signup-form.ts";
import { emptyInput, loginInput } from "@tsbin/auth-core/schemas";

export const authRouter = {
  /** The current user (Django's `request.user`), or the anonymous user. */
  me: publicProcedure.query(({ ctx }) => whoAmI(ctx.user)),

  /**
   * Creates an account (and its profile) and logs it in. Every field's messages come at once: a
   * taken username or email is a CONFLICT when nothing else is wrong, and is listed beside the
   * other messages of a BAD_REQUEST otherwise.
   */
  signup: publicProcedure.input(signupRequest).mutation(async ({ ctx, input }) => {
    const { rateLimits, passwords, hooks } = ctx.services;
    await rateLimits.consume("signupsPerIp", ctx.meta.ipAddress);
    const invalid = await signupFieldErrors(input);
    const conflicts = await signupConflicts(ctx.db, input, invalid);
    if (invalid) {
      const fieldErrors = mergeFieldErrors(invalid, conflicts);
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: MESSAGES.invalidInput,
        cause: new FieldErrorsCause(fieldErrors),
      });
    }
    if (conflicts) {
      const message = Object.values(conflicts).flat().join(" ");
      throw new TRPCError({ code: "CONFLICT", message, cause: new FieldErrorsCause(conflicts) });
    }
    const passwordHash = await passwords.hash(input.password);
    const user = await createUser(
      ctx.db,
      hooks,
      { username: input.username, email: input.email, passwordHash },
      ctx.meta,
    );
    // Sign-up logs in: the answer shows that login's time, as `auth.me` does from now on.
    const session = await logUserIn(ctx, user, passwordHash);
    // Only a password reset or a deactivation in the instant after the insert gets here.
    if (!session) throw new TRPCError({ code: "UNAUTHORIZED", message: MESSAGES.invalidLogin });
    return publicUser({ ...user, lastLogin: session.createdAt });
  }),

  /**
   * Logs in by username or email address. A wrong password, an unknown user and an inactive user
   * get the same answer after the same hashing work.
   */
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input, signal }) => {
    const { rateLimits, passwords, hooks } = ctx.services;
    const { row, account } = await rateLimits.beginLoginAttempt(
      ctx.meta.ipAddress,
      `name:${loginIdentifierKey(input.username)}`,
      loginLookup(input.username),
    );
    const found = row ? userWithPasswordFromLoginRow(row) : null;

    let verified = false;
    let checkedHash = found?.passwordHash ?? "";
    if (found) {
      // The request's signal: a login whose client has gone while it waited is not hashed.
      const result = await passwords.verify(input.password, found.passwordHash, signal);
      verified = result.valid && found.user.isActive;
      if (verified && result.needsRehash) {
        const upgraded = await passwords.hash(input.password);
        if (await replacePasswordHash(ctx.db, found.user.id, found.passwordHash, upgraded)) checkedHash = upgraded;
      }
    } else {
      await passwords.dummyVerify(signal);
    }
    // The budgets' refund is written by the login's own statement. The login is written only if the
    // password checked is still the user's (a reset or change may have committed meanwhile).
    const session =
      found && verified
        ? await logUserIn(ctx, found.user, checkedHash, [rateLimits.loginSucceeded(ctx.meta.ipAddress, account.key)])
        : null;
    if (!found || !session) {
      await hooks.emit("userLoginFailed", { username: input.username, meta: ctx.meta, db: ctx.db });
      throw new TRPCError({ code: "UNAUTHORIZED", message: MESSAGES.invalidLogin });
    }
    return publicUser({ ...found.user, lastLogin: session.createdAt });
  }),

  /** Ends the session server-side and clears the cookie. Harmless when not logged in. */
  logout: publicProcedure.input(emptyInput).mutation(async ({ ctx }) => {
    await logUserOut(ctx);
    return { ok: true as const };
  }),
} satisfies TRPCRouterRecord;

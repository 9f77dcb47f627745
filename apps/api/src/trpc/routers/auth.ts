import { usernameKey, validateEmail, validatePassword, validateUsername } from "@tsbin/auth-core";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import {
  createUser,
  loginLookup,
  replacePasswordHash,
  UserConflictError,
  userWithPasswordFromLoginRow,
} from "../../auth/user-store.ts";
import { usernameTaken, emailTaken } from "../../auth/user-lookup.ts";
import { publicUser, whoAmI } from "../../auth/user-row.ts";
import { MESSAGES } from "../errors.ts";
import { compactFieldErrors, FieldErrorsCause } from "../field-errors.ts";
import { logUserIn, logUserOut } from "../login-session.ts";
import { publicProcedure } from "../procedures.ts";
import { emptyInput, loginInput, signupInput } from "@tsbin/auth-core/schemas";

export const authRouter = {
  /** The current user (Django's `request.user`), or the anonymous user. */
  me: publicProcedure.query(({ ctx }) => whoAmI(ctx.user)),

  /** Creates an account (and its profile) and logs it in. Every field error is reported at once. */
  signup: publicProcedure.input(signupInput).mutation(async ({ ctx, input }) => {
    const { rateLimits, passwords, hooks } = ctx.services;
    await rateLimits.consume("signupsPerIp", ctx.meta.ipAddress);
    const formatErrors = compactFieldErrors({
      username: validateUsername(input.username),
      email: validateEmail(input.email),
    });
    const passwordErrors = await validatePassword(input.password, { username: input.username, email: input.email });
    const errors = compactFieldErrors({ ...formatErrors, password: passwordErrors.map((e) => e.message) });
    if (errors)
      throw new TRPCError({ code: "BAD_REQUEST", message: MESSAGES.invalidInput, cause: new FieldErrorsCause(errors) });

    const conflicts = compactFieldErrors({
      username: (await usernameTaken(ctx.db, input.username)) ? [new UserConflictError("username").message] : [],
      email: (await emailTaken(ctx.db, input.email)) ? [new UserConflictError("email").message] : [],
    });
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
    await logUserIn(ctx, user);
    return publicUser(user);
  }),

  /**
   * Logs in by username or email address. A wrong password, an unknown user and an inactive user
   * get the same answer after the same hashing work.
   */
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input, signal }) => {
    const { rateLimits, passwords, hooks } = ctx.services;
    const { row, account } = await rateLimits.beginLoginAttempt(
      ctx.meta.ipAddress,
      `name:${usernameKey(input.username)}`,
      loginLookup(input.username),
    );
    const found = row ? userWithPasswordFromLoginRow(row) : null;

    let verified = false;
    if (found) {
      // The request's signal: a login whose client has gone while it waited is not hashed.
      const result = await passwords.verify(input.password, found.passwordHash, signal);
      verified = result.valid && found.user.isActive;
      if (verified && result.needsRehash) {
        await replacePasswordHash(ctx.db, found.user.id, found.passwordHash, await passwords.hash(input.password));
      }
    } else {
      await passwords.dummyVerify(signal);
    }
    if (!found || !verified) {
      await hooks.emit("userLoginFailed", { username: input.username, meta: ctx.meta, db: ctx.db });
      throw new TRPCError({ code: "UNAUTHORIZED", message: MESSAGES.invalidLogin });
    }
    // The budgets' refund is written by the login's own statement.
    const session = await logUserIn(ctx, found.user, [rateLimits.loginSucceeded(ctx.meta.ipAddress, account.key)]);
    return publicUser({ ...found.user, lastLogin: session.createdAt });
  }),

  /** Ends the session server-side and clears the cookie. Harmless when not logged in. */
  logout: publicProcedure.input(emptyInput).mutation(async ({ ctx }) => {
    await logUserOut(ctx);
    return { ok: true as const };
  }),
} satisfies TRPCRouterRecord;

import { emailKey, normalizeEmail, validateEmail } from "@tsbin/auth-core";
import { updateAccountInput } from "@tsbin/auth-core/schemas";
import { eq, users } from "@tsbin/db";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { emailConflict } from "../../auth/user-lookup.ts";
import { userColumns, userFromRow, publicUser } from "../../auth/user-row.ts";
import { expireResetTokens, userConflictFrom } from "../../auth/user-store.ts";
import { MESSAGES } from "../errors.ts";
import { FieldErrorsCause } from "../field-errors.ts";
import { loginRequired } from "../procedures.ts";

export const accountRouter = {
  /**
   * Changes the user's name and email address. A new address must be free, and must not be another
   * user's username; changing it makes outstanding password-reset links invalid.
   */
  updateAccount: loginRequired.input(updateAccountInput).mutation(async ({ ctx, input }) => {
    const email = input.email.trim() === "" ? "" : normalizeEmail(input.email);
    const emailErrors = email === "" ? [] : validateEmail(email);
    if (emailErrors.length > 0) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: MESSAGES.invalidInput,
        cause: new FieldErrorsCause({ email: emailErrors }),
      });
    }
    const emailChanged = emailKey(email) !== emailKey(ctx.user.email);
    const conflict = email !== "" && emailChanged ? await emailConflict(ctx.db, email, ctx.user.id) : null;
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
      if (emailChanged) await expireResetTokens(ctx.db, ctx.user.id);
      return publicUser(userFromRow(row));
    } catch (error) {
      throw userConflictFrom(error) ?? error;
    }
  }),
} satisfies TRPCRouterRecord;

import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { invalidateUserSessions, listUserSessions, revokeUserSession } from "../../auth/session-store.ts";
import { MESSAGES } from "../errors.ts";
import { logUserOut } from "../login-session.ts";
import { loginRequired } from "../procedures.ts";
import { emptyInput, sessionIdInput } from "@tsbin/auth-core/schemas";

export const sessionsRouter = {
  /** The user's live sessions: when and where they started and were last seen; which is this one. */
  list: loginRequired.query(async ({ ctx }) => {
    const sessions = await listUserSessions(ctx.db, ctx.user.id);
    return sessions.map((session) => ({ ...session, current: session.id === ctx.session.id }));
  }),

  /** Ends one of the user's sessions ("log out this device"); ending the current one logs out. */
  revoke: loginRequired.input(sessionIdInput).mutation(async ({ ctx, input }) => {
    if (input.id === ctx.session.id) {
      await logUserOut(ctx);
      return { ok: true as const, current: true };
    }
    if (!(await revokeUserSession(ctx.db, ctx.user.id, input.id))) {
      throw new TRPCError({ code: "NOT_FOUND", message: MESSAGES.sessionNotFound });
    }
    return { ok: true as const, current: false };
  }),

  /** Ends every session of the user but this one ("log out everywhere else"). */
  revokeOthers: loginRequired.input(emptyInput).mutation(async ({ ctx }) => {
    const ended = await invalidateUserSessions(ctx.db, ctx.user.id, ctx.session.id);
    return { ok: true as const, ended };
  }),
} satisfies TRPCRouterRecord;

import { hasPerms, type User } from "@tsbin/auth-core";
import { PasswordTooLongError } from "@tsbin/auth-core/server";
import { TRPCError } from "@trpc/server";
import { isDatabaseUnavailable } from "../auth/db-errors.ts";
import { CallerGoneError, HashingOverloadedError } from "../auth/password-service.ts";
import { RateLimitedError } from "../auth/rate-limits.ts";
import type { Session } from "../auth/session-store.ts";
import { UserConflictError, loadUserPermissions } from "../auth/user-store.ts";
import { MESSAGES } from "./errors.ts";
import { FieldErrorsCause } from "./field-errors.ts";
import { t } from "./init.ts";

/** Turns the errors our services throw into tRPC errors with the right code and headers. */
const mapServiceErrors = t.middleware(async ({ ctx, next }) => {
  if (ctx.authError !== undefined) {
    ctx.logger.warn({ reqId: ctx.requestId, err: ctx.authError }, "session check failed");
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: MESSAGES.unavailable });
  }
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof RateLimitedError) {
    ctx.resHeaders.set("Retry-After", String(cause.retryAfterSeconds));
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: cause.message, cause });
  }
  if (cause instanceof HashingOverloadedError) {
    ctx.resHeaders.set("Retry-After", "1");
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: cause.message, cause });
  }
  if (cause instanceof CallerGoneError) {
    // HTTP 499: nobody reads it, but the request log says what became of the request.
    throw new TRPCError({ code: "CLIENT_CLOSED_REQUEST", message: cause.message, cause });
  }
  if (cause instanceof UserConflictError) {
    throw new TRPCError({
      code: "CONFLICT",
      message: cause.message,
      cause: new FieldErrorsCause({ [cause.field]: [cause.message] }),
    });
  }
  if (cause instanceof PasswordTooLongError) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: cause.message,
      cause: new FieldErrorsCause({ password: [cause.message] }),
    });
  }
  if (result.error.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(cause)) {
    ctx.logger.warn({ reqId: ctx.requestId, err: cause }, "database unavailable");
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: MESSAGES.unavailable, cause });
  }
  return result;
});

const base = t.procedure.use(mapServiceErrors);

/** Anyone may call it, the anonymous user included. Each use is a deliberate, reviewed decision. */
export const publicProcedure = base.meta({ access: "public" });

const requireUser = t.middleware(({ ctx, next }) => {
  if (!ctx.user.isAuthenticated || ctx.session === null) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: MESSAGES.loginRequired });
  }
  const user: User = ctx.user;
  const session: Session = ctx.session;
  return next({ ctx: { user, session } });
});

/** Django's `@login_required`: after it, `ctx.user` is a `User` and `ctx.session` is set. */
export const loginRequired = base.meta({ access: "login" }).use(requireUser);

/** Django's `@staff_member_required`: an active staff member. */
export const staffRequired = base
  .meta({ access: "staff" })
  .use(requireUser)
  .use(({ ctx, next }) => {
    if (!ctx.user.isStaff || !ctx.user.isActive) {
      throw new TRPCError({ code: "FORBIDDEN", message: MESSAGES.staffRequired });
    }
    return next();
  });

/**
 * Django's `@permission_required("app.codename", ...)`: the user must hold every permission, directly
 * or through a group (an active superuser holds all). Permissions are read per call, so a revoked
 * permission stops working at once. `ctx.permissions` is the user's whole set.
 */
export function permissionRequired(...perms: [string, ...string[]]) {
  return base
    .meta({ access: "permission" })
    .use(requireUser)
    .use(async ({ ctx, next }) => {
      const granted = await loadUserPermissions(ctx.db, ctx.user);
      if (!hasPerms(ctx.user, perms, granted)) {
        throw new TRPCError({ code: "FORBIDDEN", message: MESSAGES.permissionDenied });
      }
      const permissions: ReadonlySet<string> = granted;
      return next({ ctx: { permissions } });
    });
}

/** Django's `@user_passes_test(fn)`: a logged-in user for whom `test` holds. */
export function userPassesTest(
  test: (user: User) => boolean | Promise<boolean>,
  message: string = MESSAGES.permissionDenied,
) {
  return base
    .meta({ access: "test" })
    .use(requireUser)
    .use(async ({ ctx, next }) => {
      if (!(await test(ctx.user))) throw new TRPCError({ code: "FORBIDDEN", message });
      return next();
    });
}

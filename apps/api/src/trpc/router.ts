import { router } from "./init.ts";
import { accountRouter } from "./routers/account.ts";
import { authRouter } from "./routers/auth.ts";
import { healthRouter } from "./routers/health.ts";
import { passwordRouter } from "./routers/password.ts";
import { sessionsRouter } from "./routers/sessions.ts";

export const appRouter = router({
  health: healthRouter,
  auth: router({ ...authRouter, ...passwordRouter, ...accountRouter, sessions: router(sessionsRouter) }),
});

/** The API's type, imported by the web app (type only) for an end-to-end typed client. */
export type AppRouter = typeof appRouter;

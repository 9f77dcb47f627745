import type { AuthUser } from "@tsbin/auth-core";
import type { Database } from "@tsbin/db";
import type { RequestMeta } from "../auth/hooks.ts";
import type { Session } from "../auth/session-store.ts";
import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";
import type { Services } from "../services.ts";

/** What the session middleware found for this request. */
export interface RequestAuth {
  user: AuthUser;
  session: Session | null;
  /** Set when the session could not be checked (database down): procedures must fail closed. */
  error?: unknown;
  /** The cookie named no session, and the answer already clears it. */
  cookieCleared?: boolean;
}

/** Django's `request` for a procedure: who is asking, and the services to answer with. */
// A type alias, not an interface: tRPC's adapter wants a context assignable to Record<string, unknown>.
export type Context = {
  db: Database;
  /** The validated configuration (`env` itself is taken: the Hono adapter puts its bindings there). */
  settings: Env;
  logger: Logger;
  services: Services;
  user: AuthUser;
  session: Session | null;
  authError: unknown;
  /** The answer already clears the session cookie (it named no session). */
  sessionCookieCleared: boolean;
  meta: RequestMeta;
  requestId: string;
  resHeaders: Headers;
};

export interface ContextInput {
  services: Services;
  auth: RequestAuth;
  meta: RequestMeta;
  requestId: string;
  resHeaders: Headers;
}

export function createContext(input: ContextInput): Context {
  return {
    db: input.services.database.db,
    settings: input.services.env,
    logger: input.services.logger,
    services: input.services,
    user: input.auth.user,
    session: input.auth.session,
    authError: input.auth.error,
    sessionCookieCleared: input.auth.cookieCleared === true,
    meta: input.meta,
    requestId: input.requestId,
    resHeaders: input.resHeaders,
  };
}

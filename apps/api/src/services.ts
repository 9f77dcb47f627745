import type { PasswordHasherParamsInput } from "@tsbin/auth-core/server";
import type { DbHandle } from "@tsbin/db";
import { Hooks } from "./auth/hooks.ts";
import { BackgroundTasks } from "./background.ts";
import { PasswordService } from "./auth/password-service.ts";
import { RateLimits } from "./auth/rate-limits.ts";
import { createProfileForUser } from "./auth/user-store.ts";
import { createEmailSender } from "./email/index.ts";
import type { EmailSender } from "./email/message.ts";
import type { Env } from "./env.ts";
import type { Logger } from "./logger.ts";

/** What the server is built from; tests construct it with an in-memory database. */
export interface AppDeps {
  env: Env;
  database: DbHandle;
  logger: Logger;
  /** Replaces the configured email backend (tests capture messages). */
  email?: EmailSender;
  /** Lower work factors for tests; production uses the hashers' defaults. */
  hasherParams?: PasswordHasherParamsInput;
}

/** The long-lived services procedures use, built once per app. */
export interface Services {
  env: Env;
  database: DbHandle;
  logger: Logger;
  passwords: PasswordService;
  rateLimits: RateLimits;
  hooks: Hooks;
  email: EmailSender;
  /** Work done after the answer (emails, reset tokens); `settled()` waits for it (shutdown, tests). */
  background: BackgroundTasks;
  /** Sends an email without making the request wait or fail for it; failures are logged. */
  sendInBackground(message: Parameters<EmailSender["send"]>[0]): void;
}

export function createServices(deps: AppDeps): Services {
  const hooks = new Hooks();
  hooks.on("userCreated", createProfileForUser);
  const email =
    deps.email ??
    createEmailSender({
      backend: deps.env.emailBackend,
      smtpUrl: deps.env.smtpUrl,
      dataDir: deps.env.dataDir,
      publicUrl: deps.env.publicUrl,
      logger: deps.logger,
    });
  const background = new BackgroundTasks(deps.logger);
  return {
    env: deps.env,
    database: deps.database,
    logger: deps.logger,
    passwords: new PasswordService({ hashers: deps.env.passwordHashers, params: deps.hasherParams }),
    rateLimits: new RateLimits((text, params) => deps.database.query(text, params), deps.env.rateLimitScale),
    hooks,
    email,
    background,
    sendInBackground(message) {
      background.run(
        "email",
        () => email.send(message),
        (error) => deps.logger.error({ err: error, subject: message.subject }, "email could not be sent"),
      );
    },
  };
}

import { isIPv4 } from "node:net";
import type { Writable } from "node:stream";
import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";
import { createConsoleSender } from "./console-backend.ts";
import { createFileSender } from "./file-backend.ts";
import type { EmailSender } from "./message.ts";
import { createSmtpSender } from "./smtp-backend.ts";

export { EmailDeliveryError, InvalidEmailError, type EmailMessage, type EmailSender } from "./message.ts";
export { getOutboxDir } from "./file-backend.ts";
export {
  escapeHtml,
  passwordChangedEmail,
  passwordResetEmail,
  type PasswordChangedEmailInput,
  type PasswordResetEmailInput,
} from "./templates.ts";

/** `EMAIL_BACKEND`. */
export type EmailBackend = Env["emailBackend"];

interface SenderSettings {
  backend: EmailBackend;
  /** `SMTP_URL`; required by the smtp backend, ignored by the others. */
  smtpUrl: string | undefined;
  /** `DATA_DIR`; the file backend writes to its `outbox/` folder. */
  dataDir: string;
  logger: Logger;
  /** Where the console backend prints; process.stdout by default. */
  consoleStream?: Writable;
}

/** Options for {@link createEmailSender}: an explicit `from`, or the `PUBLIC_URL` to derive one from. */
export type CreateEmailSenderOptions = SenderSettings &
  ({ from: string; publicUrl?: string } | { from?: undefined; publicUrl: string });

/**
 * `tsbin <noreply@host>` for the host of `PUBLIC_URL` (its port dropped). An IP host becomes an
 * RFC 5321 address literal (`[127.0.0.1]`, `[IPv6:::1]`), the only form mail software accepts for it.
 */
export function defaultFromAddress(publicUrl: string): string {
  const { hostname } = new URL(publicUrl);
  let domain = hostname;
  if (hostname.startsWith("[")) domain = `[IPv6:${hostname.slice(1, -1)}]`;
  else if (isIPv4(hostname)) domain = `[${hostname}]`;
  return `tsbin <noreply@${domain}>`;
}

/**
 * The sender for the configured `EMAIL_BACKEND`. Throws at start-up, not at the first email, when the
 * smtp backend has no `SMTP_URL` or the from address is not a single mailbox.
 */
export function createEmailSender(options: CreateEmailSenderOptions): EmailSender {
  const from = options.from ?? defaultFromAddress(options.publicUrl);
  switch (options.backend) {
    case "console":
      return createConsoleSender({ from, stream: options.consoleStream });
    case "file":
      return createFileSender({ dataDir: options.dataDir, from, logger: options.logger });
    case "smtp":
      if (options.smtpUrl === undefined) throw new Error("SMTP_URL is required when EMAIL_BACKEND=smtp");
      return createSmtpSender({ smtpUrl: options.smtpUrl, from, logger: options.logger });
  }
}

import type { Transporter } from "nodemailer";
import type { Logger } from "../logger.ts";
import { composeEmail, parseMailbox } from "./compose-message.ts";
import { EmailDeliveryError, type EmailMessage, type EmailSender } from "./message.ts";

/** Milliseconds allowed for each stage of an SMTP delivery. */
export interface SmtpTimeouts {
  /** Establishing the TCP (or TLS) connection. */
  connection: number;
  /** The server's 220 greeting after connecting. */
  greeting: number;
  /** Silence on an open connection, e.g. a server that stops answering mid-DATA. */
  socket: number;
  /** Resolving the server's host name. */
  dns: number;
}

/**
 * Nodemailer waits up to 2 minutes to connect, 30 s for the greeting and 10 minutes of silence;
 * a dead mail server would hold a password-reset request open that long.
 */
export const SMTP_TIMEOUTS: Readonly<SmtpTimeouts> = { connection: 5_000, greeting: 5_000, socket: 10_000, dns: 5_000 };

const SMTP_DEFAULT_PORT = 587;
const SMTPS_DEFAULT_PORT = 465;

/** Options for {@link createSmtpSender}. */
export interface SmtpSenderOptions {
  /** `SMTP_URL`, e.g. `smtp://user:pass@mail.example.com:587` or `smtps://…:465`. */
  smtpUrl: string;
  from: string;
  logger?: Logger;
  timeouts?: Partial<SmtpTimeouts>;
}

/** `smtp://host:port` without the credentials, for error messages and logs. */
export function describeSmtpServer(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  const port = url.port || String(url.protocol === "smtps:" ? SMTPS_DEFAULT_PORT : SMTP_DEFAULT_PORT);
  return `${url.protocol}//${url.hostname}:${port}`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = "code" in error && typeof error.code === "string" ? ` (${error.code})` : "";
  return `${error.message}${code}`;
}

/**
 * Delivers through an SMTP server with nodemailer, one connection per message, every stage bounded
 * by {@link SMTP_TIMEOUTS}. Failures reject with {@link EmailDeliveryError}, whose message names the
 * server but never its credentials.
 */
export function createSmtpSender({ smtpUrl, from, logger, timeouts = {} }: SmtpSenderOptions): EmailSender {
  parseMailbox(from, "from");
  const server = describeSmtpServer(smtpUrl);
  const limits = { ...SMTP_TIMEOUTS, ...timeouts };
  // nodemailer is loaded with the first message, so a server that never sends mail does not hold it.
  let transport: Promise<Transporter> | undefined;
  const openTransport = (): Promise<Transporter> =>
    (transport ??= import("nodemailer").then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        url: smtpUrl,
        connectionTimeout: limits.connection,
        greetingTimeout: limits.greeting,
        socketTimeout: limits.socket,
        dnsTimeout: limits.dns,
      }),
    ));
  return {
    async send(message: EmailMessage): Promise<void> {
      const { raw, envelope, messageId, eightBit } = await composeEmail(message, from);
      try {
        await (await openTransport()).sendMail({ envelope: { ...envelope, use8BitMime: eightBit }, raw });
      } catch (error) {
        throw new EmailDeliveryError(`could not send email through ${server}: ${describeError(error)}`, {
          cause: error,
        });
      }
      logger?.info({ to: message.to, subject: message.subject, messageId }, "email sent");
    },
  };
}

/** One email to one recipient, in both renderings mail clients expect. */
export interface EmailMessage {
  /** A single address (`alice@example.com` or `Alice <alice@example.com>`). */
  to: string;
  subject: string;
  /** The plain-text body; links in it stay on one line and unescaped in every backend. */
  text: string;
  /** The HTML body; user-controlled values must already be escaped (see `templates.ts`). */
  html: string;
}

/** Delivers messages; the backend (console, file, SMTP) is chosen once at start-up. */
export interface EmailSender {
  /** Resolves once the backend has taken the message; rejects if it could not. */
  send(message: EmailMessage): Promise<void>;
}

/**
 * A message or sender address that cannot be sent safely: a line break or control character
 * in a header (header injection), or a recipient that is not exactly one address.
 */
export class InvalidEmailError extends Error {
  override readonly name = "InvalidEmailError";
}

/** The backend could not deliver the message (SMTP refused, timed out, or the outbox is not writable). */
export class EmailDeliveryError extends Error {
  override readonly name = "EmailDeliveryError";
}

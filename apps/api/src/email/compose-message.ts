import addressparser from "nodemailer/lib/addressparser";
import type { MailComposerAlternative } from "nodemailer/lib/mail-composer";
import { InvalidEmailError, type EmailMessage } from "./message.ts";

// RFC 5322 §2.1.1 / RFC 2045 §2.8: 7bit and 8bit bodies may not have lines longer than this.
const MAX_LINE_OCTETS = 998;
// A CR or LF in a header value starts a new header (Bcc: …); the other controls have no business there either.
const CONTROL_CHARACTER = /\p{Cc}/u;
const NON_ASCII = /[^\p{ASCII}]/u;
const BARE_ADDRESS = /^[^\s@]+@[^\s@]+$/u;

/** The SMTP envelope: who the message is from and the one mailbox it is delivered to. */
export interface Envelope {
  from: string;
  to: string;
}

/** A message rendered as RFC 5322 bytes, ready to be written to a file or handed to an SMTP server. */
export interface ComposedEmail {
  /** The whole message with CRLF line endings: headers, then multipart/alternative text and HTML parts. */
  raw: Buffer;
  envelope: Envelope;
  messageId: string;
  /** True when a body part carries non-ASCII bytes unencoded, so SMTP should announce `BODY=8BITMIME`. */
  eightBit: boolean;
}

/**
 * Returns the bare address in a header value holding exactly one mailbox.
 * Throws {@link InvalidEmailError} on control characters, groups, lists or anything without an `@`.
 */
export function parseMailbox(value: string, field: "from" | "to"): string {
  if (CONTROL_CHARACTER.test(value)) {
    throw new InvalidEmailError(`${field}: must not contain line breaks or control characters`);
  }
  const entries = addressparser(value);
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only?.address === undefined || !BARE_ADDRESS.test(only.address)) {
    throw new InvalidEmailError(`${field}: must be exactly one email address`);
  }
  return only.address;
}

/**
 * Checks every header value of a message before anything is written or sent, and returns its envelope.
 * Nodemailer alone would fold a CRLF in `to` into an address group and deliver to the injected address.
 */
export function checkMessage(message: EmailMessage, from: string): Envelope {
  const envelope = { from: parseMailbox(from, "from"), to: parseMailbox(message.to, "to") };
  if (CONTROL_CHARACTER.test(message.subject)) {
    throw new InvalidEmailError("subject: must not contain line breaks or control characters");
  }
  if (message.text.length === 0 || message.html.length === 0) {
    throw new InvalidEmailError("text and html bodies are both required");
  }
  return envelope;
}

interface BodyPart {
  part: MailComposerAlternative;
  eightBit: boolean;
}

/**
 * Nodemailer re-encodes every text part with a line over 76 characters as quoted-printable, which
 * splits a reset link with `=` soft breaks; a person or a test searching the .eml would not find it.
 * So each part is handed over pre-built, unencoded (7bit or 8bit, as Django sends mail), and
 * quoted-printable is left to nodemailer only where 8bit is not allowed.
 */
function buildBodyPart(contentType: "text/plain" | "text/html", body: string): BodyPart {
  const normalised = body.replace(/\r\n?/gu, "\n");
  const lines = normalised.split("\n");
  if (normalised.includes("\0") || lines.some((line) => Buffer.byteLength(line) > MAX_LINE_OCTETS)) {
    return { part: { content: normalised }, eightBit: false };
  }
  const eightBit = NON_ASCII.test(normalised);
  const headers = `Content-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: ${eightBit ? "8bit" : "7bit"}`;
  return { part: { raw: `${headers}\r\n\r\n${normalised}` }, eightBit };
}

/**
 * Renders a message as a multipart/alternative RFC 5322 message (From, To, Subject, Date, Message-ID,
 * MIME-Version) with MIME built by nodemailer's MailComposer.
 * Throws {@link InvalidEmailError} before rendering anything if a header value is unsafe.
 */
export async function composeEmail(message: EmailMessage, from: string): Promise<ComposedEmail> {
  const envelope = checkMessage(message, from);
  const text = buildBodyPart("text/plain", message.text);
  const html = buildBodyPart("text/html", message.html);
  // Loaded with the first message (about 13 MB resident), not at start-up.
  const { default: MailComposer } = await import("nodemailer/lib/mail-composer");
  const node = new MailComposer({
    from,
    to: message.to,
    subject: message.subject,
    text: text.part,
    html: html.part,
    newline: "windows",
  }).compile();
  const raw = await node.build();
  return { raw, envelope, messageId: node.messageId(), eightBit: text.eightBit || html.eightBit };
}

import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One message as the loopback SMTP server received it. */
export interface ReceivedEmail {
  mailFrom: string;
  rcptTo: string[];
  /** `7bit` or `8bitmime`, as announced in `MAIL FROM … BODY=`. */
  bodyType: string | undefined;
  /** The DATA section, exactly as transmitted. */
  raw: string;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives, for tests. */
export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, ready for `SMTP_URL`. */
  url: string;
  messages: ReceivedEmail[];
  close(): Promise<void>;
}

/** Starts an SMTP server on a free loopback port: no authentication, no TLS, every message accepted. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        messages.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
          bodyType: session.envelope.bodyType,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A message split the way a mail client reads it: unfolded headers (lower-case names) and body. */
export interface ParsedEml {
  headers: Map<string, string>;
  body: string;
  /** The parts of a multipart message, in order; empty for a single-part message. */
  parts: ParsedEml[];
}

/** A small RFC 5322 / MIME reader for tests; enough to find headers and parts, not a general parser. */
export function parseEml(raw: string): ParsedEml {
  const text = raw.replace(/\r\n/gu, "\n");
  const split = text.indexOf("\n\n");
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? "" : text.slice(split + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/gu, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const boundary = /boundary="?([^";]+)"?/iu.exec(headers.get("content-type") ?? "")?.[1];
  const parts: ParsedEml[] = [];
  if (boundary !== undefined) {
    const sections = body.split(`--${boundary}`);
    // sections[0] is the preamble; the section after the closing delimiter starts with "--".
    for (const section of sections.slice(1)) {
      if (section.startsWith("--")) break;
      parts.push(parseEml(section.replace(/^\n/u, "").replace(/\n$/u, "")));
    }
  }
  return { headers, body, parts };
}

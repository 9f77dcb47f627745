import type { Writable } from "node:stream";
import { checkMessage, parseMailbox } from "./compose-message.ts";
import type { EmailMessage, EmailSender } from "./message.ts";

// The same rule Django's console backend draws between messages.
const SEPARATOR = "-".repeat(79);

/** Options for {@link createConsoleSender}. */
export interface ConsoleSenderOptions {
  from: string;
  /** Where messages are printed; process.stdout unless a test captures them. */
  stream?: Writable;
}

function write(stream: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * A development sender that prints each message (headers and the plain-text body, link clickable
 * in a terminal) instead of delivering it. Header values are checked as strictly as for real delivery.
 */
export function createConsoleSender({ from, stream = process.stdout }: ConsoleSenderOptions): EmailSender {
  parseMailbox(from, "from");
  return {
    async send(message: EmailMessage): Promise<void> {
      checkMessage(message, from);
      const body = message.text.replace(/\r\n?/gu, "\n").replace(/\n*$/u, "\n");
      const headers = [
        `From: ${from}`,
        `To: ${message.to}`,
        `Subject: ${message.subject}`,
        `Date: ${new Date().toUTCString()}`,
      ];
      await write(stream, `${headers.join("\n")}\n\n${body}${SEPARATOR}\n`);
    },
  };
}

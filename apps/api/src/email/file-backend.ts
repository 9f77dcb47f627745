import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../logger.ts";
import { composeEmail, parseMailbox } from "./compose-message.ts";
import type { EmailMessage, EmailSender } from "./message.ts";

// Reset links in the outbox stay valid until used or expired, so only the server's user may read them.
const OUTBOX_DIR_MODE = 0o700;
const OUTBOX_FILE_MODE = 0o600;
const FILE_NAME_RANDOM_BYTES = 8;

/** Options for {@link createFileSender}. */
export interface FileSenderOptions {
  /** `DATA_DIR`; messages go to its `outbox/` folder, created on first use. */
  dataDir: string;
  from: string;
  logger: Logger;
  /** The clock that names the files; tests pin it. */
  now?: () => Date;
}

/** The folder the file backend writes `.eml` files to. */
export function getOutboxDir(dataDir: string): string {
  return path.join(dataDir, "outbox");
}

/**
 * A unique file name that sorts in the order the messages were written: an ISO 8601 UTC timestamp
 * (with `:` removed, which Windows does not allow) and 64 random bits for messages in the same millisecond.
 */
export function createOutboxFileName(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/gu, "");
  return `${stamp}-${randomBytes(FILE_NAME_RANDOM_BYTES).toString("hex")}.eml`;
}

/**
 * A development sender that writes each message as an RFC 5322 `.eml` file to `$DATA_DIR/outbox/` and
 * logs one line naming the file. The body is never logged: it holds the reset link.
 */
export function createFileSender({ dataDir, from, logger, now = () => new Date() }: FileSenderOptions): EmailSender {
  parseMailbox(from, "from");
  const outbox = getOutboxDir(dataDir);
  return {
    async send(message: EmailMessage): Promise<void> {
      const { raw } = await composeEmail(message, from);
      await mkdir(outbox, { recursive: true, mode: OUTBOX_DIR_MODE });
      const name = createOutboxFileName(now());
      const file = path.join(outbox, name);
      // Tests and people poll the outbox for *.eml; writing under a hidden name and renaming means a
      // reader never sees half a message.
      const partial = path.join(outbox, `.${name}.partial`);
      try {
        await writeFile(partial, raw, { mode: OUTBOX_FILE_MODE, flag: "wx" });
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      logger.info({ to: message.to, subject: message.subject, file }, "email written");
    },
  };
}

import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { recordSecret } from "./record.ts";
import { sleep } from "./server-process.ts";

/** One message from the file email backend's outbox, decoded. */
export interface Mail {
  file: string;
  /** The bare recipient address, exactly as written in To. */
  to: string;
  subject: string;
  /** Every text part, decoded, joined. */
  text: string;
  /** The reset token of a `/reset-password/<token>` link, when there is one. */
  resetToken: string | undefined;
  /** The full reset link. */
  resetUrl: string | undefined;
}

const RESET_LINK = /(https?:\/\/[^\s"<>]+?)\/reset-password\/([a-z2-7]{32}\.[a-z2-7]{32})/u;

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/gu, "")
    .replace(/=([0-9A-F]{2})/giu, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

function splitHead(raw: string): { headers: Map<string, string>; body: string } {
  const text = raw.replace(/\r\n/gu, "\n");
  const split = text.indexOf("\n\n");
  const head = split === -1 ? text : text.slice(0, split);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/gu, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: split === -1 ? "" : text.slice(split + 2) };
}

function decodeBody(raw: string): string {
  const { headers, body } = splitHead(raw);
  const boundary = /boundary="?([^";]+)"?/iu.exec(headers.get("content-type") ?? "")?.[1];
  if (boundary !== undefined) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((section) => !section.startsWith("--"))
      .map((section) => decodeBody(section.replace(/^\n/u, "")))
      .join("\n");
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/gu, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") return decodeQuotedPrintable(body);
  return body;
}

/** RFC 2047 encoded words (=?utf-8?B?...?= / =?utf-8?Q?...?=) in a header value. */
function decodeEncodedWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=/giu, (_, _charset: string, kind: string, data: string) =>
    kind.toLowerCase() === "b"
      ? Buffer.from(data, "base64").toString("utf8")
      : decodeQuotedPrintable(data.replace(/_/gu, " ")),
  );
}

/** The bare address of a To header ("Name <a@b>" or "a@b"), as written. */
function bareAddress(to: string): string {
  const angle = /<([^>]+)>/u.exec(to);
  return (angle?.[1] ?? to).trim();
}

export function parseMail(file: string, raw: string): Mail {
  const { headers } = splitHead(raw);
  const text = decodeBody(raw);
  const link = RESET_LINK.exec(text);
  const resetToken = link?.[2];
  if (resetToken !== undefined) recordSecret("reset-token", resetToken);
  return {
    file,
    to: bareAddress(decodeEncodedWords(headers.get("to") ?? "")),
    subject: decodeEncodedWords(headers.get("subject") ?? ""),
    text,
    resetToken,
    resetUrl: link ? `${link[1]}/reset-password/${link[2]}` : undefined,
  };
}

/** Parsed messages by path: a message file never changes once it is in the outbox (written, then renamed). */
const parsed = new Map<string, Mail>();

/** Every message in `<dataDir>/outbox`, oldest first. */
export async function readOutbox(dataDir: string): Promise<Mail[]> {
  const dir = path.join(dataDir, "outbox");
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir)).filter((name) => name.endsWith(".eml")).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      let mail = parsed.get(file);
      if (!mail) {
        mail = parseMail(name, await readFile(file, "utf8"));
        parsed.set(file, mail);
      }
      return mail;
    }),
  );
}

/** Messages whose To is `address` (compared in lower case). */
export async function mailsTo(dataDir: string, address: string): Promise<Mail[]> {
  const wanted = address.toLowerCase();
  return (await readOutbox(dataDir)).filter((mail) => mail.to.toLowerCase() === wanted);
}

/**
 * Waits until `address` has received more than `already` messages (matching `filter`, if given;
 * emails go out in the background) and returns the newest one.
 */
export async function waitForMail(
  dataDir: string,
  address: string,
  already: number,
  timeoutMs = 5_000,
  filter: (mail: Mail) => boolean = () => true,
): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = (await mailsTo(dataDir, address)).filter(filter);
    const newest = mails.at(-1);
    if (mails.length > already && newest) return newest;
    if (Date.now() > deadline) throw new Error(`no new email to ${address} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

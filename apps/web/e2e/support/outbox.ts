import { expect } from "@playwright/test";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { BASE_URL, OUTBOX_DIR } from "./env.ts";

async function messagesTo(email: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(OUTBOX_DIR);
  } catch {
    return [];
  }
  const messages = await Promise.all(
    names
      .filter((name) => name.endsWith(".eml"))
      .sort()
      .map((name) => readFile(path.join(OUTBOX_DIR, name), "utf8")),
  );
  return messages.filter((raw) => new RegExp(`^To: .*${email.replace(/[.+]/gu, "\\$&")}`, "imu").test(raw));
}

/**
 * Waits for the password-reset email to `email` in the file backend's outbox and returns the link
 * on its own line in the text part.
 */
export async function readResetLink(email: string): Promise<string> {
  const linkPattern = new RegExp(`^${BASE_URL.replace(/[.]/gu, "\\.")}/reset-password/[^\\s<>"]+$`, "mu");
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const messages = await messagesTo(email);
        link = messages.map((raw) => linkPattern.exec(raw)?.[0]).findLast((found) => found !== undefined);
        return link;
      },
      { message: `a reset email to ${email} in ${OUTBOX_DIR}`, timeout: 15_000 },
    )
    .toBeDefined();
  if (link === undefined) throw new Error("unreachable: the poll above found the link");
  return link;
}

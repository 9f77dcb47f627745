import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createConsoleSender } from "./console-backend.ts";
import { InvalidEmailError } from "./message.ts";
import { passwordResetEmail } from "./templates.ts";

const RESET_URL = "http://localhost:3000/reset-password/abcd.efghijklmnopqrstuvwxyz0123456789-_ABCDEFGH";

function capture(): { stream: PassThrough; output: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return { stream, output: () => Buffer.concat(chunks).toString("utf8") };
}

const email = passwordResetEmail({
  to: "alice@example.com",
  username: "Zoë",
  resetUrl: RESET_URL,
  expiresInMinutes: 60,
  siteName: "tsbin",
});

describe("console backend", () => {
  it("prints the headers and the plain-text body, with the link whole and clickable", async () => {
    const { stream, output } = capture();
    await createConsoleSender({ from: "tsbin <noreply@localhost>", stream }).send(email);
    const lines = output().split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "From: tsbin <noreply@localhost>",
      "To: alice@example.com",
      "Subject: Password reset on tsbin",
    ]);
    expect(lines[3]).toMatch(/^Date: \w{3}, \d{2} \w{3} \d{4} /u);
    expect(lines[4]).toBe("");
    expect(lines).toContain(RESET_URL);
    expect(lines).toContain("Your username, in case you've forgotten: Zoë");
    expect(output()).not.toContain("<html");
    expect(output().endsWith(`\n${"-".repeat(79)}\n`)).toBe(true);
  });

  it("separates consecutive messages", async () => {
    const { stream, output } = capture();
    const sender = createConsoleSender({ from: "tsbin <noreply@localhost>", stream });
    await sender.send(email);
    await sender.send(email);
    expect(output().split(`${"-".repeat(79)}\n`)).toHaveLength(3);
  });

  it("refuses a CR/LF header injection like the real backends do", async () => {
    const { stream, output } = capture();
    const sender = createConsoleSender({ from: "tsbin <noreply@localhost>", stream });
    await expect(sender.send({ ...email, subject: "Hi\r\nBcc: mallory@example.com" })).rejects.toBeInstanceOf(
      InvalidEmailError,
    );
    expect(output()).toBe("");
  });
});

import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmailSender, defaultFromAddress, getOutboxDir, InvalidEmailError, passwordResetEmail } from "./index.ts";
import { parseEml, startSmtpSink } from "./testing.ts";

const logger = pino({ level: "silent" });
const email = passwordResetEmail({
  to: "alice@example.com",
  username: "alice",
  resetUrl: "http://localhost:3000/reset-password/abcd.efgh",
  expiresInMinutes: 60,
  siteName: "tsbin",
});

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "tsbin-email-"));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("defaultFromAddress", () => {
  it("uses the host of PUBLIC_URL without its port", () => {
    expect(defaultFromAddress("http://localhost:3000")).toBe("tsbin <noreply@localhost>");
    expect(defaultFromAddress("https://bin.example.com")).toBe("tsbin <noreply@bin.example.com>");
  });

  it("writes an IP host as an address literal", () => {
    expect(defaultFromAddress("http://127.0.0.1:3000")).toBe("tsbin <noreply@[127.0.0.1]>");
    expect(defaultFromAddress("http://[::1]:3000")).toBe("tsbin <noreply@[IPv6:::1]>");
  });
});

describe("createEmailSender", () => {
  it("writes to $DATA_DIR/outbox with the file backend, from noreply at PUBLIC_URL's host", async () => {
    const sender = createEmailSender({
      backend: "file",
      smtpUrl: undefined,
      dataDir,
      publicUrl: "https://bin.example.com",
      logger,
    });
    await sender.send(email);
    expect(await readdir(getOutboxDir(dataDir))).toHaveLength(1);
  });

  it("prints with the console backend and writes no file", async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    const sender = createEmailSender({
      backend: "console",
      smtpUrl: undefined,
      dataDir,
      publicUrl: "http://localhost:3000",
      logger,
      consoleStream: stream,
    });
    await sender.send(email);
    expect(Buffer.concat(chunks).toString("utf8")).toContain("From: tsbin <noreply@localhost>");
    await expect(readdir(getOutboxDir(dataDir))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("delivers to SMTP_URL with the smtp backend, using an explicit from over PUBLIC_URL's", async () => {
    const sink = await startSmtpSink();
    try {
      const sender = createEmailSender({
        backend: "smtp",
        smtpUrl: sink.url,
        dataDir,
        from: "Bin Admin <admin@bin.example.com>",
        publicUrl: "http://localhost:3000",
        logger,
      });
      await sender.send(email);
      expect(sink.messages.map((message) => message.mailFrom)).toEqual(["admin@bin.example.com"]);
      expect(parseEml(sink.messages[0]?.raw ?? "").headers.get("from")).toBe("Bin Admin <admin@bin.example.com>");
    } finally {
      await sink.close();
    }
  });

  it("refuses at start-up the smtp backend without SMTP_URL", () => {
    expect(() =>
      createEmailSender({ backend: "smtp", smtpUrl: undefined, dataDir, publicUrl: "http://localhost:3000", logger }),
    ).toThrow("SMTP_URL is required when EMAIL_BACKEND=smtp");
  });

  it("refuses at start-up a from address that is not one mailbox", () => {
    expect(() =>
      createEmailSender({ backend: "file", smtpUrl: undefined, dataDir, from: "a@x.example, b@y.example", logger }),
    ).toThrow(InvalidEmailError);
  });
});

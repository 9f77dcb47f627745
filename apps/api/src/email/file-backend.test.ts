import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileSender, createOutboxFileName, getOutboxDir } from "./file-backend.ts";
import { InvalidEmailError } from "./message.ts";
import { passwordResetEmail } from "./templates.ts";
import { parseEml } from "./testing.ts";

const FROM = "tsbin <noreply@localhost>";
const RESET_URL = "http://localhost:3000/reset-password/abcd.efghijklmnopqrstuvwxyz0123456789-_ABCDEFGH";

let dataDir: string;
let logLines: string[];

function createSender(now?: () => Date): ReturnType<typeof createFileSender> {
  const logger = pino({ base: undefined }, { write: (line: string) => logLines.push(line) });
  return createFileSender({ dataDir, from: FROM, logger, now });
}

function resetEmail(username = "alice"): ReturnType<typeof passwordResetEmail> {
  return passwordResetEmail({
    to: "alice@example.com",
    username,
    resetUrl: RESET_URL,
    expiresInMinutes: 60,
    siteName: "tsbin",
  });
}

async function readOutbox(): Promise<string[]> {
  const names = await readdir(getOutboxDir(dataDir));
  return Promise.all(names.sort().map((name) => readFile(path.join(getOutboxDir(dataDir), name), "utf8")));
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "tsbin-email-"));
  logLines = [];
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("file backend", () => {
  it("creates $DATA_DIR/outbox and writes one .eml file per message", async () => {
    const sender = createSender();
    await sender.send(resetEmail());
    await sender.send(resetEmail());
    const names = await readdir(getOutboxDir(dataDir));
    expect(names).toHaveLength(2);
    expect(names.every((name) => /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{16}\.eml$/u.test(name))).toBe(true);
  });

  it("writes a parsable message with the standard headers, a text part and an HTML part", async () => {
    await createSender().send(resetEmail());
    const [raw = ""] = await readOutbox();
    const eml = parseEml(raw);
    expect(eml.headers.get("from")).toBe(FROM);
    expect(eml.headers.get("to")).toBe("alice@example.com");
    expect(eml.headers.get("subject")).toBe("Password reset on tsbin");
    expect(eml.headers.get("mime-version")).toBe("1.0");
    expect(eml.headers.get("message-id")).toMatch(/^<.+@localhost>$/u);
    expect(eml.headers.get("date")).toBeDefined();
    expect(eml.headers.get("content-type")).toMatch(/^multipart\/alternative;/u);
    expect(eml.parts).toHaveLength(2);
    expect(eml.parts[0]?.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(eml.parts[0]?.body).toContain("Please go to the following page and choose a new password:");
    expect(eml.parts[1]?.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(eml.parts[1]?.body).toContain(`<a href="${RESET_URL}">`);
  });

  it("keeps the reset link verbatim on its own line, findable by a plain text search of the file", async () => {
    await createSender().send(resetEmail());
    await createSender().send(resetEmail("Zoë"));
    for (const raw of await readOutbox()) {
      expect(RESET_URL.length).toBeGreaterThan(76);
      expect(raw).toContain(RESET_URL);
      expect(raw.split("\r\n")).toContain(RESET_URL);
    }
  });

  it("logs the recipient, subject and file, and never the body or the link", async () => {
    await createSender().send(resetEmail());
    const [name = ""] = await readdir(getOutboxDir(dataDir));
    expect(logLines).toHaveLength(1);
    const entry = JSON.parse(logLines[0] ?? "{}") as Record<string, unknown>;
    expect(entry).toMatchObject({
      msg: "email written",
      to: "alice@example.com",
      subject: "Password reset on tsbin",
      file: path.join(getOutboxDir(dataDir), name),
    });
    expect(logLines[0]).not.toContain("reset-password");
    expect(logLines[0]).not.toContain("in case you've forgotten");
  });

  it("names files so that sorting them by name gives the order they were written", async () => {
    const times = [new Date("2031-01-01T00:00:09.999Z"), new Date("2031-01-01T00:00:10.000Z")];
    let call = 0;
    const sender = createSender(() => times[call++] ?? new Date());
    await sender.send({ ...resetEmail(), subject: "first" });
    await sender.send({ ...resetEmail(), subject: "second" });
    const subjects = (await readOutbox()).map((raw) => parseEml(raw).headers.get("subject"));
    expect(subjects).toEqual(["first", "second"]);
  });

  it("gives two messages written in the same millisecond different names", () => {
    const at = new Date("2031-01-01T00:00:00.000Z");
    expect(createOutboxFileName(at)).not.toBe(createOutboxFileName(at));
  });

  it("makes the outbox readable by the server's user only, since it holds live reset links", async () => {
    await createSender().send(resetEmail());
    const [name = ""] = await readdir(getOutboxDir(dataDir));
    expect((await stat(path.join(getOutboxDir(dataDir), name))).mode & 0o777).toBe(0o600);
    expect((await stat(getOutboxDir(dataDir))).mode & 0o777).toBe(0o700);
  });

  it.each([
    ["recipient", { to: "alice@example.com\r\nBcc: mallory@example.com" }],
    ["subject", { subject: "Password reset\r\nBcc: mallory@example.com" }],
  ])("refuses a CR/LF header injection in the %s and writes nothing", async (_field, overrides) => {
    const sender = createSender();
    await expect(sender.send({ ...resetEmail(), ...overrides })).rejects.toBeInstanceOf(InvalidEmailError);
    await expect(readdir(getOutboxDir(dataDir))).rejects.toMatchObject({ code: "ENOENT" });
    expect(logLines).toEqual([]);
  });
});

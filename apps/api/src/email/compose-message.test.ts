import { describe, expect, it } from "vitest";
import { composeEmail, parseMailbox } from "./compose-message.ts";
import { InvalidEmailError, type EmailMessage } from "./message.ts";
import { parseEml } from "./testing.ts";

const FROM = "tsbin <noreply@localhost>";
const RESET_URL = "http://localhost:3000/reset-password/abcd.efghijklmnopqrstuvwxyz0123456789-_ABCDEFGH";

function message(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    to: "alice@example.com",
    subject: "Password reset on tsbin",
    text: `Please go to the following page:\n\n${RESET_URL}\n`,
    html: `<p><a href="${RESET_URL}">${RESET_URL}</a></p>\n`,
    ...overrides,
  };
}

describe("composeEmail", () => {
  it("builds a multipart/alternative message with the standard headers and CRLF line endings", async () => {
    const { raw, messageId } = await composeEmail(message(), FROM);
    const eml = parseEml(raw.toString("utf8"));
    expect(eml.headers.get("from")).toBe(FROM);
    expect(eml.headers.get("to")).toBe("alice@example.com");
    expect(eml.headers.get("subject")).toBe("Password reset on tsbin");
    expect(eml.headers.get("message-id")).toBe(messageId);
    expect(eml.headers.get("mime-version")).toBe("1.0");
    expect(Number.isNaN(Date.parse(eml.headers.get("date") ?? ""))).toBe(false);
    expect(eml.headers.get("content-type")).toMatch(/^multipart\/alternative;/u);
    expect(eml.parts.map((part) => part.headers.get("content-type"))).toEqual([
      "text/plain; charset=utf-8",
      "text/html; charset=utf-8",
    ]);
    expect(raw.toString("utf8").replace(/\r\n/gu, "")).not.toContain("\n");
  });

  it("sends ASCII bodies as 7bit so a link longer than 76 characters stays on one line", async () => {
    const composed = await composeEmail(message(), FROM);
    const eml = parseEml(composed.raw.toString("utf8"));
    expect(composed.eightBit).toBe(false);
    expect(eml.parts.map((part) => part.headers.get("content-transfer-encoding"))).toEqual(["7bit", "7bit"]);
    expect(eml.parts[0]?.body.split("\n")).toContain(RESET_URL);
    expect(eml.parts[1]?.body).toContain(`href="${RESET_URL}"`);
  });

  it("sends non-ASCII bodies as 8bit UTF-8 and says so, instead of hiding them in quoted-printable", async () => {
    const composed = await composeEmail(message({ text: `Hallo Zoë,\n${RESET_URL}\n` }), FROM);
    const eml = parseEml(composed.raw.toString("utf8"));
    expect(composed.eightBit).toBe(true);
    expect(eml.parts[0]?.headers.get("content-transfer-encoding")).toBe("8bit");
    expect(eml.parts[0]?.body).toContain("Hallo Zoë,");
    expect(eml.parts[0]?.body).toContain(RESET_URL);
  });

  it("falls back to quoted-printable for a line too long for 8bit (over 998 octets)", async () => {
    const composed = await composeEmail(message({ text: "x".repeat(1200) }), FROM);
    const eml = parseEml(composed.raw.toString("utf8"));
    expect(eml.parts[0]?.headers.get("content-transfer-encoding")).toBe("quoted-printable");
    expect(
      composed.raw
        .toString("utf8")
        .split("\r\n")
        .every((line) => line.length <= 998),
    ).toBe(true);
  });

  it("takes the envelope recipient from the parsed To address", async () => {
    const { envelope } = await composeEmail(message({ to: "Alice Liddell <alice@example.com>" }), FROM);
    expect(envelope).toEqual({ from: "noreply@localhost", to: "alice@example.com" });
  });

  it.each([
    ["a CRLF in the recipient", { to: "alice@example.com\r\nBcc: mallory@example.com" }],
    ["a bare LF in the recipient", { to: "alice@example.com\nBcc: mallory@example.com" }],
    ["a CRLF in the subject", { subject: "Hello\r\nBcc: mallory@example.com" }],
    ["a NUL in the subject", { subject: "Hello\u0000" }],
    ["two recipients", { to: "alice@example.com, mallory@example.com" }],
    ["an address group", { to: "friends: alice@example.com, mallory@example.com;" }],
    ["no address at all", { to: "alice" }],
    ["an empty HTML body", { html: "" }],
  ])("refuses %s", async (_case, overrides) => {
    await expect(composeEmail(message(overrides), FROM)).rejects.toBeInstanceOf(InvalidEmailError);
  });
});

describe("parseMailbox", () => {
  it("returns the bare address of a single mailbox, with or without a display name", () => {
    expect(parseMailbox("alice@example.com", "to")).toBe("alice@example.com");
    expect(parseMailbox('"Liddell, Alice" <alice@example.com>', "to")).toBe("alice@example.com");
    expect(parseMailbox("tsbin <noreply@[127.0.0.1]>", "from")).toBe("noreply@[127.0.0.1]");
  });

  it("names the offending field without echoing its value", () => {
    expect(() => parseMailbox("x\r\nBcc: secret@example.com", "from")).toThrow(
      /^from: must not contain line breaks or control characters$/u,
    );
  });
});

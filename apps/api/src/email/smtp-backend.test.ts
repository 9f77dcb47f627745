import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EmailDeliveryError, InvalidEmailError } from "./message.ts";
import { createSmtpSender, describeSmtpServer } from "./smtp-backend.ts";
import { passwordResetEmail } from "./templates.ts";
import { parseEml, startSmtpSink, type SmtpSink } from "./testing.ts";

const FROM = "tsbin <noreply@localhost>";
const RESET_URL = "http://localhost:3000/reset-password/abcd.efghijklmnopqrstuvwxyz0123456789-_ABCDEFGH";
// One stage short and the others long, so the test knows which timeout must fire.
const QUICK_GREETING = { connection: 5_000, greeting: 300, socket: 5_000, dns: 5_000 };
const QUICK_SOCKET = { connection: 5_000, greeting: 5_000, socket: 300, dns: 5_000 };
// Generous next to the 300 ms stages above, tiny next to nodemailer's own 30 s greeting / 2 min connect defaults.
const FAIL_FAST_MS = 3_000;

function resetEmail(username = "alice"): ReturnType<typeof passwordResetEmail> {
  return passwordResetEmail({
    to: "alice@example.com",
    username,
    resetUrl: RESET_URL,
    expiresInMinutes: 60,
    siteName: "tsbin",
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function measure(action: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = performance.now();
  try {
    await action();
  } catch (error) {
    return { error, elapsedMs: performance.now() - started };
  }
  throw new Error("expected the delivery to fail");
}

describe("SMTP backend against a real SMTP server on loopback", () => {
  let sink: SmtpSink;

  beforeEach(async () => {
    sink = await startSmtpSink();
  });

  afterEach(async () => {
    await sink.close();
  });

  it("delivers the message to the recipient, with the subject and the reset link intact", async () => {
    await createSmtpSender({ smtpUrl: sink.url, from: FROM }).send(resetEmail());
    expect(sink.messages).toHaveLength(1);
    const [received] = sink.messages;
    expect(received?.mailFrom).toBe("noreply@localhost");
    expect(received?.rcptTo).toEqual(["alice@example.com"]);
    const eml = parseEml(received?.raw ?? "");
    expect(eml.headers.get("to")).toBe("alice@example.com");
    expect(eml.headers.get("subject")).toBe("Password reset on tsbin");
    expect(eml.parts).toHaveLength(2);
    expect(eml.parts[0]?.body.split("\n")).toContain(RESET_URL);
    expect(received?.raw).toContain(RESET_URL);
  });

  it("announces BODY=8BITMIME only when the body carries non-ASCII text", async () => {
    const sender = createSmtpSender({ smtpUrl: sink.url, from: FROM });
    await sender.send(resetEmail("alice"));
    await sender.send(resetEmail("Zoë"));
    expect(sink.messages.map((message) => message.bodyType)).toEqual(["7bit", "8bitmime"]);
    expect(sink.messages[1]?.raw).toContain("Your username, in case you've forgotten: Zoë");
  });

  it("refuses a CR/LF header injection before talking to the server", async () => {
    const sender = createSmtpSender({ smtpUrl: sink.url, from: FROM });
    const injected = { ...resetEmail(), to: "alice@example.com\r\nBcc: mallory@example.com" };
    await expect(sender.send(injected)).rejects.toBeInstanceOf(InvalidEmailError);
    expect(sink.messages).toEqual([]);
  });
});

describe("SMTP backend when the server is unreachable", () => {
  it("fails fast with a clear error, without the credentials, when nothing listens on the port", async () => {
    const probe = createServer();
    const port = await listen(probe);
    await close(probe);
    const sender = createSmtpSender({ smtpUrl: `smtp://mailer:s3cret@127.0.0.1:${port}`, from: FROM });
    const { error, elapsedMs } = await measure(() => sender.send(resetEmail()));
    expect(error).toBeInstanceOf(EmailDeliveryError);
    expect((error as Error).message).toContain(`could not send email through smtp://127.0.0.1:${port}`);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect((error as Error).message).not.toContain("s3cret");
    expect(elapsedMs).toBeLessThan(FAIL_FAST_MS);
  });

  it("gives up after the greeting timeout when the server accepts the connection but never speaks", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    const port = await listen(silent);
    try {
      const sender = createSmtpSender({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, timeouts: QUICK_GREETING });
      const { error, elapsedMs } = await measure(() => sender.send(resetEmail()));
      expect(error).toBeInstanceOf(EmailDeliveryError);
      expect((error as Error).message).toMatch(/Greeting never received/u);
      expect(elapsedMs).toBeLessThan(FAIL_FAST_MS);
    } finally {
      for (const socket of sockets) socket.destroy();
      await close(silent);
    }
  });

  it("gives up after the socket timeout when the server greets and then stops answering", async () => {
    const sockets = new Set<Socket>();
    const stalled = createServer((socket) => {
      sockets.add(socket);
      socket.write("220 stalled.example ESMTP\r\n");
    });
    const port = await listen(stalled);
    try {
      const sender = createSmtpSender({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, timeouts: QUICK_SOCKET });
      const { error, elapsedMs } = await measure(() => sender.send(resetEmail()));
      expect(error).toBeInstanceOf(EmailDeliveryError);
      expect((error as Error).message).toMatch(/Timeout \(ETIMEDOUT\)$/u);
      expect(elapsedMs).toBeLessThan(FAIL_FAST_MS);
    } finally {
      for (const socket of sockets) socket.destroy();
      await close(stalled);
    }
  });
});

describe("describeSmtpServer", () => {
  it("names the server with its default port and without credentials", () => {
    expect(describeSmtpServer("smtp://user:pass@mail.example.com")).toBe("smtp://mail.example.com:587");
    expect(describeSmtpServer("smtps://user:pass@mail.example.com")).toBe("smtps://mail.example.com:465");
    expect(describeSmtpServer("smtp://mail.example.com:2525")).toBe("smtp://mail.example.com:2525");
  });
});

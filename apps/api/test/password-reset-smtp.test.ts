// The reset flow with EMAIL_BACKEND=smtp: the link travels through a real SMTP server on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEml, startSmtpSink, type ReceivedEmail, type SmtpSink } from "../src/email/testing.ts";
import { resetLinkOf, signUp, startTestServer, type TestServer } from "./http-client.ts";

const PUBLIC_URL = "http://bin.example.net";

let sink: SmtpSink;
let server: TestServer;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ PUBLIC_URL, EMAIL_BACKEND: "smtp", SMTP_URL: sink.url });
});

afterAll(async () => {
  await server.close();
  await sink.close();
});

async function waitForSmtp(predicate: (message: ReceivedEmail) => boolean): Promise<ReceivedEmail> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = sink.messages.find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error("no such email reached the SMTP server");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("password reset over SMTP", () => {
  it("delivers the link to the stored address, and the link resets the password", async () => {
    const alice = await signUp(server);
    const res = await server.client().mutation("auth.requestPasswordReset", { email: alice.email.toUpperCase() });
    expect(res.status).toBe(200);

    const delivered = await waitForSmtp((m) => m.rcptTo.includes(alice.email));
    expect(delivered.rcptTo).toEqual([alice.email]);
    expect(parseEml(delivered.raw).headers.get("subject")).toBe("Password reset on tsbin");
    const { origin, token } = resetLinkOf(delivered.raw);
    expect(origin).toBe(PUBLIC_URL);

    const confirm = await server.client().mutation("auth.resetPassword", {
      token,
      newPassword: "smtp delivered passphrase 1",
    });
    expect(confirm.status).toBe(200);
    expect((await server.client().login(alice.username, "smtp delivered passphrase 1")).status).toBe(200);
    expect(await alice.client.me()).toMatchObject({ isAuthenticated: false });

    const notice = await waitForSmtp(
      (m) => m.rcptTo.includes(alice.email) && /changed/iu.test(parseEml(m.raw).headers.get("subject") ?? ""),
    );
    expect(notice.raw).not.toContain("smtp delivered passphrase 1");
    expect(notice.raw).not.toContain(token);
  });

  it("answers an unknown address exactly like a known one, and sends nothing for it", async () => {
    const bob = await signUp(server);
    const known = await server.client().mutation("auth.requestPasswordReset", { email: bob.email });
    const unknown = await server.client().mutation("auth.requestPasswordReset", { email: "ghost@example.net" });
    expect(unknown.status).toBe(known.status);
    expect(unknown.text).toBe(known.text);
    await waitForSmtp((m) => m.rcptTo.includes(bob.email));
    expect(sink.messages.some((m) => m.rcptTo.includes("ghost@example.net"))).toBe(false);
  });
});

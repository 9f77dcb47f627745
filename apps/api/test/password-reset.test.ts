// R1–R7, E3, L5, C3: the password-reset flow end to end, with the file email backend: links are read
// from the .eml files the server writes to $DATA_DIR/outbox/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  forgedToken,
  logIn,
  readOutbox,
  signUp,
  startTestServer,
  waitForEmail,
  waitForEmails,
  waitForResetToken,
  type SignedUp,
  type TestClient,
  type TestServer,
} from "./http-client.ts";

const PUBLIC_URL = "http://tsbin.example.com";
const INVALID_LINK = "This password reset link is invalid or has expired. Please request a new one.";
const NEW_PASSWORD = "fresh start passphrase 2024";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ PUBLIC_URL });
});

afterAll(async () => {
  await server.close();
});

async function outboxFiles(): Promise<Set<string>> {
  return new Set((await readOutbox(server.dataDir)).map((m) => m.file));
}

/** Requests a reset for the user's address and returns the token from the email that arrives. */
async function resetToken(user: SignedUp, client: TestClient = server.client()): Promise<string> {
  const seen = await outboxFiles();
  const res = await client.mutation("auth.requestPasswordReset", { email: user.email });
  expect(res.status).toBe(200);
  return (await waitForResetToken(server.dataDir, user.email, seen)).token;
}

function confirm(token: string, newPassword = NEW_PASSWORD, client: TestClient = server.client()) {
  return client.mutation("auth.resetPassword", { token, newPassword });
}

async function tokenRows(userId: number): Promise<number> {
  return (await server.sql("select 1 from password_reset_tokens where user_id = $1", [userId])).length;
}

/**
 * The answer comes before the work: looking the address up, issuing the token and sending the
 * email happen in the background. Waits until all of it is done, so that what was not sent or
 * stored is known not to be coming.
 */
async function backgroundDone(): Promise<void> {
  await server.t.services.background.settled();
}

describe("requesting a reset", () => {
  it("answers known, unknown, inactive and unusable-password addresses identically", async () => {
    const known = await signUp(server);
    const inactive = await signUp(server);
    await server.sql("update users set is_active = false where id = $1", [inactive.id]);
    const unusable = await signUp(server);
    await server.sql("update users set password = '!' || repeat('x', 40) where id = $1", [unusable.id]);

    const answers = await Promise.all(
      [known.email, "nobody-here@example.com", inactive.email, unusable.email].map((email) =>
        server.client().mutation("auth.requestPasswordReset", { email }),
      ),
    );
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.text).toBe(answers[0]?.text);
      expect(res.setCookies).toEqual([]);
    }
    expect(answers[0]?.data?.message).toMatch(/If an active account uses that email address/u);

    // Inactive users and users without a usable password are sent nothing (Django's rule).
    await waitForResetToken(server.dataDir, known.email);
    await backgroundDone();
    expect(await tokenRows(known.id)).toBe(1);
    expect(await tokenRows(inactive.id)).toBe(0);
    expect(await tokenRows(unusable.id)).toBe(0);
    const recipients = (await readOutbox(server.dataDir)).map((m) => m.to).join("\n");
    expect(recipients).not.toContain(inactive.email);
    expect(recipients).not.toContain(unusable.email);
  });

  it("sends a link to users whose hash is empty or unreadable (imported from Django), as Django does", async () => {
    for (const stored of ["", "crypt$$ab2nJ.5Lnwv4E"]) {
      const user = await signUp(server);
      await server.sql("update users set password = $2 where id = $1", [user.id, stored]);
      expect((await server.client().login(user.username, user.password)).status, stored).toBe(401);

      const res = await confirm(await resetToken(user));

      expect(res.status, stored).toBe(200);
      expect((await server.client().login(user.username, NEW_PASSWORD)).status, stored).toBe(200);
    }
    await backgroundDone(); // the password-changed notices
  });

  it("refuses what is not an email address with Django's message, as its PasswordResetForm does", async () => {
    const seen = await outboxFiles();
    for (const email of ["not-an-email", "not even an address", "someone@", "   "]) {
      const res = await server.client().mutation("auth.requestPasswordReset", { email });
      expect(res.status, email).toBe(400);
      expect(res.error?.data.code, email).toBe("BAD_REQUEST");
      expect(res.error?.data.fieldErrors, email).toEqual({
        email: [email.trim() === "" ? "This field is required." : "Enter a valid email address."],
      });
    }
    await backgroundDone();
    expect([...(await outboxFiles())].filter((file) => !seen.has(file))).toEqual([]);
  });

  it("emails the link $PUBLIC_URL/reset-password/<token> to the stored address", async () => {
    await signUp(server, { username: "LinkAlice", email: "Link.Alice@Example.COM" });
    const seen = await outboxFiles();
    // The address typed in another case still finds the account; the mail goes to the stored one.
    const res = await server.client().mutation("auth.requestPasswordReset", { email: "LINK.ALICE@example.com" });
    expect(res.status).toBe(200);
    const { origin, token, message } = await waitForResetToken(server.dataDir, "Link.Alice@example.com", seen);
    expect(origin).toBe(PUBLIC_URL);
    expect(message.raw).toContain(`${PUBLIC_URL}/reset-password/${token}`);
    expect(message.to).toContain("Link.Alice@example.com");
    expect(message.subject).toBe("Password reset on tsbin");
    expect(res.text).not.toContain(token);

    const stored = await server.sql<{ row: string }>("select t::text as row from password_reset_tokens t");
    const secret = token.slice(token.indexOf(".") + 1);
    expect(stored.map((r) => r.row).join("\n")).not.toContain(secret);
  });

  it("builds the link from PUBLIC_URL whatever Host, X-Forwarded-Host or Forwarded say", async () => {
    const alice = await signUp(server);
    const poisonings: Record<string, string>[] = [
      { host: "evil.example" },
      { "x-forwarded-host": "evil.example" },
      { forwarded: "host=evil.example;proto=https" },
      { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
    ];
    for (const headers of poisonings) {
      // A direct request (curl): no Origin, so the poisoned Host is not refused as cross-origin.
      const attacker = server.client({ curl: true });
      const seen = await outboxFiles();
      const res = await attacker.mutation("auth.requestPasswordReset", { email: alice.email }, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
      const { origin, message } = await waitForResetToken(server.dataDir, alice.email, seen);
      expect(origin).toBe(PUBLIC_URL);
      expect(message.raw).not.toContain("evil.example");
      // Each address gets at most three emails an hour; start the next round with a clean slate.
      await server.sql("delete from rate_limits where key like 'resetEmailsPerAddress%'");
    }
  });

  it("sends at most three emails per address per hour, while the answer stays the same", async () => {
    const alice = await signUp(server);
    const answers = [];
    for (let i = 0; i < 5; i += 1) {
      answers.push(await server.client().mutation("auth.requestPasswordReset", { email: alice.email }));
    }
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.text).toBe(answers[0]?.text);
    }
    await waitForEmails(server.dataDir, (m) => m.to.includes(alice.email), 3);
    await backgroundDone();
    expect(await tokenRows(alice.id)).toBe(3);
    expect((await readOutbox(server.dataDir)).filter((m) => m.to.includes(alice.email)).length).toBe(3);
  });

  it("keeps to three emails per address when the requests arrive in parallel", async () => {
    const alice = await signUp(server);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => server.client().mutation("auth.requestPasswordReset", { email: alice.email })),
    );
    expect(answers.every((res) => res.status === 200 && res.text === answers[0]?.text)).toBe(true);
    await backgroundDone();
    expect(await tokenRows(alice.id)).toBe(3);
    expect((await readOutbox(server.dataDir)).filter((m) => m.to.includes(alice.email)).length).toBe(3);
  });

  it("never sends mıke@example.org's reset (dotless ı, U+0131) to mike@example.org", async () => {
    const mike = await signUp(server, { username: "mike", email: "mike@example.org" });
    const unknown = await server.client().mutation("auth.requestPasswordReset", { email: "no-such-user@example.org" });
    const collision = await server.client().mutation("auth.requestPasswordReset", { email: "m\u0131ke@example.org" });
    expect(collision.status).toBe(200);
    expect(collision.text).toBe(unknown.text);
    await backgroundDone();
    expect(await tokenRows(mike.id)).toBe(0);
    expect((await readOutbox(server.dataDir)).filter((m) => m.to.includes("mike@example.org"))).toEqual([]);

    // The real owner, typing the address in capitals, still gets the email.
    const seen = await outboxFiles();
    await server.client().mutation("auth.requestPasswordReset", { email: "MIKE@EXAMPLE.ORG" });
    const { message } = await waitForResetToken(server.dataDir, "mike@example.org", seen);
    expect(message.to).toContain("mike@example.org");
  });
});

describe("confirming a reset", () => {
  it("sets the new password once: the second use of the link is refused with a clear message", async () => {
    const alice = await signUp(server);
    const token = await resetToken(alice);
    // A usable link names its account, for the page's hidden username field (password managers).
    const check = await server.client().mutation("auth.checkResetToken", { token });
    expect(check.data).toEqual({ valid: true, username: alice.username });

    const first = await confirm(token);
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({ ok: true, username: alice.username });

    const second = await confirm(token, "yet another passphrase 99");
    expect(second.status).toBe(400);
    expect(second.error?.message).toBe(INVALID_LINK);
    // A used link names nobody.
    expect((await server.client().mutation("auth.checkResetToken", { token })).data).toEqual({ valid: false });

    expect((await server.client().login(alice.username, NEW_PASSWORD)).status).toBe(200);
    expect((await server.client().login(alice.username, "yet another passphrase 99")).status).toBe(401);
    expect((await server.client().login(alice.username, alice.password)).status).toBe(401);
  });

  it("validates the new password and keeps the link usable after a refused one", async () => {
    const alice = await signUp(server);
    const token = await resetToken(alice);
    const weak = await confirm(token, "password");
    expect(weak.status).toBe(400);
    expect(weak.error?.data.fieldErrors?.["newPassword"]).toEqual(["This password is too common."]);
    expect((await confirm(token)).status).toBe(200);
  });

  it("refuses an expired link", async () => {
    const alice = await signUp(server);
    const token = await resetToken(alice);
    await server.sql("update password_reset_tokens set expires_at = now() - interval '1 second' where user_id = $1", [
      alice.id,
    ]);
    const res = await confirm(token);
    expect(res.status).toBe(400);
    expect(res.error?.message).toBe(INVALID_LINK);
    expect((await server.client().login(alice.username, alice.password)).status).toBe(200);
  });

  it("refuses malformed, unknown and tampered tokens with 400, never 500", async () => {
    const alice = await signUp(server);
    const bob = await signUp(server);
    const aliceToken = await resetToken(alice);
    const bobToken = await resetToken(bob);
    const [aliceId, aliceSecret] = aliceToken.split(".");
    const [bobId] = bobToken.split(".");
    const client = server.client();
    const wellFormedButWrong = [
      `${bobId}.${aliceSecret}`,
      `${aliceId}.${"a".repeat(32)}`,
      `${"b".repeat(32)}.${aliceSecret}`,
    ];
    for (const token of wellFormedButWrong) {
      const res = await confirm(token, NEW_PASSWORD, client);
      expect(res.status, token).toBe(400);
      expect(res.error?.message).toBe(INVALID_LINK);
      // Nor does the check name an account, not even the one whose token id was borrowed.
      const check = await client.mutation("auth.checkResetToken", { token });
      expect(check.data, token).toEqual({ valid: false });
    }
    for (const token of ["", "x", "../../etc/passwd", "ü".repeat(65), "A".repeat(10_000), `${aliceToken}\u0000`]) {
      const res = await confirm(token, NEW_PASSWORD, client);
      expect(res.status, token.slice(0, 20)).toBe(400);
    }
    // Both real links still work.
    expect((await confirm(aliceToken)).status).toBe(200);
    expect((await confirm(bobToken)).status).toBe(200);
  });

  it("stops guessing after 20 wrong tokens per address in 15 minutes, also in parallel", async () => {
    const alice = await signUp(server);
    const token = await resetToken(alice);
    const guesser = server.client();
    const guesses = Array.from({ length: 26 }, () => forgedToken());
    const results = await Promise.all(guesses.map((guess) => confirm(guess, NEW_PASSWORD, guesser)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(20);
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    expect((await confirm(token, NEW_PASSWORD, guesser)).status).toBe(429);
    // Someone else, with the real link, is not affected.
    expect((await confirm(token)).status).toBe(200);
  });

  it("ends every session of the user, logs no one in, and emails a notice", async () => {
    const alice = await signUp(server);
    const laptop = server.client();
    await logIn(laptop, alice.username, alice.password);
    const token = await resetToken(alice);

    const stranger = server.client();
    const res = await confirm(token, NEW_PASSWORD, stranger);
    expect(res.status).toBe(200);
    expect(res.setCookies).toEqual([]);
    expect(stranger.cookies.size).toBe(0);

    expect(await alice.client.me()).toMatchObject({ isAuthenticated: false });
    expect(await laptop.me()).toMatchObject({ isAuthenticated: false });
    expect(await server.sql("select 1 from sessions where user_id = $1", [alice.id])).toEqual([]);

    const notice = await waitForEmail(
      server.dataDir,
      (m) => m.to.includes(alice.email) && /changed/iu.test(m.subject),
      "password-changed email",
    );
    expect(notice.raw).not.toContain(NEW_PASSWORD);
    expect(notice.raw).not.toContain(token);
  });

  it("lets exactly one of 20 parallel confirmations with the same link succeed", async () => {
    const alice = await signUp(server);
    const token = await resetToken(alice);
    const passwords = Array.from({ length: 20 }, (_, i) => `parallel passphrase number ${i}`);
    const results = await Promise.all(passwords.map((password) => confirm(token, password)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBe(1);
    expect(statuses.filter((s) => s === 400).length).toBe(19);
    for (const res of results.filter((r) => r.status === 400)) expect(res.error?.message).toBe(INVALID_LINK);

    const winner = passwords[statuses.indexOf(200)] ?? "";
    expect((await server.client().login(alice.username, winner)).status).toBe(200);
    const loser = passwords.find((p) => p !== winner) ?? "";
    expect((await server.client().login(alice.username, loser)).status).toBe(401);
  });
});

describe("outstanding links become invalid", () => {
  it("when a newer reset is requested: only the newest link works", async () => {
    const alice = await signUp(server);
    const older = await resetToken(alice);
    const newer = await resetToken(alice);
    expect(newer).not.toBe(older);
    expect((await confirm(older)).error?.message).toBe(INVALID_LINK);
    expect((await confirm(newer)).status).toBe(200);
  });

  it("when the user logs in", async () => {
    const alice = await signUp(server);
    const token = await resetToken(alice);
    await logIn(server.client(), alice.username, alice.password);
    expect((await confirm(token)).error?.message).toBe(INVALID_LINK);
  });

  it("when the password is changed from the settings", async () => {
    const alice = await signUp(server);
    const token = await resetToken(alice);
    const change = await alice.client.mutation("auth.changePassword", {
      oldPassword: alice.password,
      newPassword: "changed in the settings 5",
    });
    expect(change.status).toBe(200);
    expect((await confirm(token)).error?.message).toBe(INVALID_LINK);
    expect((await server.client().login(alice.username, "changed in the settings 5")).status).toBe(200);
  });

  it("when the email address is changed", async () => {
    const alice = await signUp(server);
    const token = await resetToken(alice);
    const update = await alice.client.mutation("auth.updateAccount", {
      firstName: "",
      lastName: "",
      email: `moved-${alice.email}`,
      password: alice.password,
    });
    expect(update.status).toBe(200);
    expect((await confirm(token)).error?.message).toBe(INVALID_LINK);
  });

  it("when the account is deactivated", async () => {
    const alice = await signUp(server);
    const token = await resetToken(alice);
    await server.sql("update users set is_active = false where id = $1", [alice.id]);
    expect((await confirm(token)).error?.message).toBe(INVALID_LINK);
  });
});

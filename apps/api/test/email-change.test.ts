// Changing the email address takes the current password: reset links go to the address, so without
// it a stolen session could move the address away and then reset the password. Wrong passwords
// spend the per-user budget changePassword uses; every change spends the client IP's sign-up budget
// (whether an address is taken is what sign-up tells too); the old address is told.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  logIn,
  readOutbox,
  sessionToken,
  signUp,
  startTestServer,
  uniqueName,
  waitForEmail,
  waitForResetToken,
  type OutboxMessage,
  type SignedUp,
  type TestClient,
  type TestServer,
} from "./http-client.ts";

const PASSWORD_REQUIRED = "Enter your current password to change your email address.";
const PASSWORD_INCORRECT = "Your password was entered incorrectly. Please enter it again.";
const WRONG_PASSWORDS_PER_USER = 10;
const EMAIL_CHANGES_PER_IP = 20;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

async function storedEmail(userId: number): Promise<string> {
  const [row] = await server.sql<{ email: string }>("select email from users where id = $1", [userId]);
  return row?.email ?? "";
}

function changeEmail(client: TestClient, email: string, password?: string) {
  return client.mutation("auth.updateAccount", {
    firstName: "",
    lastName: "",
    email,
    ...(password === undefined ? {} : { password }),
  });
}

function isEmailChangedNotice(message: OutboxMessage): boolean {
  return /email address of your account/iu.test(message.subject);
}

/** The address's messages so far; sent in the background, so wait for the one expected first. */
async function messagesTo(address: string): Promise<OutboxMessage[]> {
  return (await readOutbox(server.dataDir)).filter((m) => m.to.includes(address));
}

describe("auth.updateAccount, changing the email address", () => {
  it("asks for the current password when it is missing or empty, and changes nothing", async () => {
    const alice = await signUp(server);
    for (const password of [undefined, ""]) {
      const res = await changeEmail(alice.client, `moved-${alice.email}`, password);
      expect(res.status, String(password)).toBe(400);
      expect(res.error?.data.code).toBe("BAD_REQUEST");
      expect(res.error?.data.fieldErrors).toEqual({ password: [PASSWORD_REQUIRED] });
    }
    expect(await storedEmail(alice.id)).toBe(alice.email);
  });

  it("lists a missing password beside the email address's own errors", async () => {
    const alice = await signUp(server);
    const res = await changeEmail(alice.client, "not an address");
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors).toEqual({
      email: ["Enter a valid email address."],
      password: [PASSWORD_REQUIRED],
    });
  });

  it("takes the password as typed, and refuses one that is not text or is over-long before any check", async () => {
    const alice = await signUp(server);
    for (const [password, message] of [
      [42, "Enter a valid value."],
      [null, "Enter a valid value."],
      ["x".repeat(4097), "Password is too long (at most 4096 characters)."],
    ] as const) {
      const res = await alice.client.postJson("auth.updateAccount", {
        firstName: "",
        lastName: "",
        email: `moved-${alice.email}`,
        password,
      });
      expect(res.status, String(password).slice(0, 10)).toBe(400);
      expect(res.error?.data.fieldErrors).toEqual({ password: [message] });
    }
    // Surrounding spaces are part of a password: not trimmed away, so " pw " is not "pw".
    expect((await changeEmail(alice.client, `moved-${alice.email}`, ` ${alice.password} `)).status).toBe(400);
    expect(await storedEmail(alice.id)).toBe(alice.email);
  });

  it("refuses a wrong password as a field error on password, and changes nothing", async () => {
    const alice = await signUp(server);
    const res = await changeEmail(alice.client, `moved-${alice.email}`, "not my password");
    expect(res.status).toBe(400);
    expect(res.error?.data.code).toBe("BAD_REQUEST");
    expect(res.error?.data.fieldErrors).toEqual({ password: [PASSWORD_INCORRECT] });
    expect(await storedEmail(alice.id)).toBe(alice.email);
    expect(await alice.client.me()).toMatchObject({ isAuthenticated: true, email: alice.email });
  });

  it("counts wrong passwords against the per-user budget: 429 with Retry-After after 10, even for the right one", async () => {
    const alice = await signUp(server);
    for (let i = 0; i < WRONG_PASSWORDS_PER_USER; i += 1) {
      expect((await changeEmail(alice.client, `moved-${alice.email}`, `guess number ${i}`)).status).toBe(400);
    }
    const limited = await changeEmail(alice.client, `moved-${alice.email}`, alice.password);
    expect(limited.status).toBe(429);
    expect(limited.error?.data.code).toBe("TOO_MANY_REQUESTS");
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(await storedEmail(alice.id)).toBe(alice.email);
    // A name-only change needs no password, so the spent budget does not block it.
    const rename = await alice.client.mutation("auth.updateAccount", {
      firstName: "Alice",
      lastName: "",
      email: alice.email,
    });
    expect(rename.status).toBe(200);
  });

  it("shares that budget with changePassword, and holds when the guesses arrive in parallel", async () => {
    const alice = await signUp(server);
    for (let i = 0; i < 5; i += 1) {
      const res = await alice.client.mutation("auth.changePassword", {
        oldPassword: `guess number ${i}`,
        newPassword: "a brand new passphrase 77",
      });
      expect(res.status).toBe(400);
    }
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => changeEmail(alice.client, `moved-${alice.email}`, `parallel guess ${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(5);
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    expect((await changeEmail(alice.client, `moved-${alice.email}`, alice.password)).status).toBe(429);
  });

  it("changes the address with the right password, and only with it", async () => {
    const alice = await signUp(server);
    const newEmail = `moved-${alice.email}`;
    expect((await changeEmail(alice.client, newEmail, `${alice.password}x`)).status).toBe(400);
    expect(await storedEmail(alice.id)).toBe(alice.email);
    const res = await changeEmail(alice.client, newEmail, alice.password);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: alice.id, email: newEmail });
    expect(await storedEmail(alice.id)).toBe(newEmail);
    expect(await alice.client.me()).toMatchObject({ email: newEmail });
    // The session stays; the login by the new address works.
    expect((await server.client().login(newEmail, alice.password)).status).toBe(200);
  });

  it("needs no password for a name-only change, nor for a spelling that stores the same address", async () => {
    const alice = await signUp(server, { username: uniqueName("Case"), email: `${uniqueName("Case")}@example.com` });
    const rename = await alice.client.mutation("auth.updateAccount", {
      firstName: " Ada ",
      lastName: "Lovelace",
      email: alice.email,
    });
    expect(rename.status).toBe(200);
    expect(rename.data).toMatchObject({ firstName: "Ada", lastName: "Lovelace", email: alice.email });
    // The domain is stored in lower case and the whole is trimmed: this is the stored value.
    const sameStored = await alice.client.mutation("auth.updateAccount", {
      firstName: "Ada",
      lastName: "",
      email: `  ${alice.email.replace("@example.com", "@EXAMPLE.com")} `,
    });
    expect(sameStored.status).toBe(200);
    expect(await storedEmail(alice.id)).toBe(alice.email);
    // The same names with another address is an email change, and needs the password.
    const moved = await alice.client.mutation("auth.updateAccount", {
      firstName: "Ada",
      lastName: "",
      email: `moved-${alice.email}`,
    });
    expect(moved.error?.data.fieldErrors).toEqual({ password: [PASSWORD_REQUIRED] });
    expect(
      (await readOutbox(server.dataDir)).filter((m) => m.to.includes(alice.email) && isEmailChangedNotice(m)),
    ).toEqual([]);
  });

  it("counts a change of case as a change when the stored value changes", async () => {
    const alice = await signUp(server, { email: `${uniqueName("Mixed")}@example.com` });
    const lower = alice.email.toLowerCase();
    expect(lower).not.toBe(alice.email);
    const res = await changeEmail(alice.client, lower);
    expect(res.error?.data.fieldErrors).toEqual({ password: [PASSWORD_REQUIRED] });
    expect((await changeEmail(alice.client, lower, alice.password)).status).toBe(200);
    expect(await storedEmail(alice.id)).toBe(lower);
  });

  it("needs the password to remove the address too", async () => {
    const alice = await signUp(server);
    expect((await changeEmail(alice.client, " ")).error?.data.fieldErrors).toEqual({ password: [PASSWORD_REQUIRED] });
    expect(await storedEmail(alice.id)).toBe(alice.email);
    expect((await changeEmail(alice.client, " ", alice.password)).status).toBe(200);
    expect(await storedEmail(alice.id)).toBe("");
  });

  it("tells the old address, with the new one masked; the new address gets nothing", async () => {
    const alice = await signUp(server);
    const newEmail = `${uniqueName("fresh")}@elsewhere.example`;
    expect((await changeEmail(alice.client, newEmail, alice.password)).status).toBe(200);
    const notice = await waitForEmail(
      server.dataDir,
      (m) => m.to.includes(alice.email) && isEmailChangedNotice(m),
      "email-changed notice",
    );
    expect(notice.subject).toBe("The email address of your account on tsbin was changed");
    expect(notice.raw).toContain("was changed to f***@e***.example on ");
    expect(notice.raw).toMatch(/ on \d{4}-\d\d-\d\d \d\d:\d\d UTC\./u);
    expect(notice.raw).toContain("contact the site's administrators");
    expect(notice.raw).not.toContain(newEmail);
    expect(notice.raw).not.toContain(alice.password);
    expect(notice.raw).not.toContain(sessionToken(alice.client));
    expect((await messagesTo(alice.email)).filter(isEmailChangedNotice).length).toBe(1);
    expect(await messagesTo(newEmail)).toEqual([]);
  });

  it("sends nothing for a refused change", async () => {
    const alice = await signUp(server);
    const bob = await signUp(server);
    expect((await changeEmail(alice.client, `moved-${alice.email}`, "not my password")).status).toBe(400);
    expect((await changeEmail(alice.client, bob.email, alice.password)).status).toBe(409);
    // A later, accepted change's notice arrives; it is the only one.
    expect((await changeEmail(alice.client, `moved-${alice.email}`, alice.password)).status).toBe(200);
    await waitForEmail(server.dataDir, (m) => m.to.includes(alice.email) && isEmailChangedNotice(m));
    expect((await messagesTo(alice.email)).filter(isEmailChangedNotice).length).toBe(1);
  });
});

describe("the taken-address oracle", () => {
  it("answers a taken address only after the password: 400 without it, 409 with it", async () => {
    const owner = await signUp(server);
    const alice = await signUp(server);
    const blind = await changeEmail(alice.client, owner.email.toUpperCase());
    expect(blind.status).toBe(400);
    expect(blind.error?.data.fieldErrors).toEqual({ password: [PASSWORD_REQUIRED] });
    const wrong = await changeEmail(alice.client, owner.email, "not my password");
    expect(wrong.status).toBe(400);
    expect(wrong.error?.data.fieldErrors).toEqual({ password: [PASSWORD_INCORRECT] });
    expect((await changeEmail(alice.client, owner.email, alice.password)).status).toBe(409);
  });

  it("allows 20 email changes an hour per IP (the sign-up budget), then 429 with Retry-After", async () => {
    const alice = await signUp(server);
    // A client of its own: its address has spent nothing on sign-ups.
    const device = server.client();
    await logIn(device, alice.username, alice.password);
    const [first, second] = [`one-${alice.email}`, `two-${alice.email}`];
    for (let i = 0; i < EMAIL_CHANGES_PER_IP; i += 1) {
      const res = await changeEmail(device, i % 2 === 0 ? first : second, alice.password);
      expect(res.status, `change ${i + 1}`).toBe(200);
    }
    const limited = await changeEmail(device, alice.email, alice.password);
    expect(limited.status).toBe(429);
    expect(limited.error?.data.code).toBe("TOO_MANY_REQUESTS");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(await storedEmail(alice.id)).toBe(second);

    // Taken addresses cost the same: the oracle is shut at this address whatever the answer would be.
    const owner = await signUp(server);
    expect((await changeEmail(device, owner.email, alice.password)).status).toBe(429);
    // Sign-up from the same address, the other way to ask, is shut too.
    const signup = await server.client({ localAddress: device.localAddress }).mutation("auth.signup", {
      username: uniqueName(),
      email: `${uniqueName()}@example.com`,
      password: "correct horse battery staple 42",
    });
    expect(signup.status).toBe(429);
    // Names still change, and other addresses still have their budget.
    expect(
      (await device.mutation("auth.updateAccount", { firstName: "Still", lastName: "Here", email: second })).status,
    ).toBe(200);
    const phone = server.client();
    await logIn(phone, alice.username, alice.password);
    expect((await changeEmail(phone, alice.email, alice.password)).status).toBe(200);
  });

  it("does not count a refused password against the IP, only changes past the password check", async () => {
    const alice = await signUp(server);
    const device = server.client();
    await logIn(device, alice.username, alice.password);
    const spent = async (): Promise<number[]> =>
      (
        await server.sql<{ points: number }>("select points from rate_limits where key = $1", [
          `signupsPerIp:${device.localAddress}`,
        ])
      ).map((row) => row.points);
    for (let i = 0; i < 5; i += 1) {
      expect((await changeEmail(device, `x${i}-${alice.email}`)).status).toBe(400);
      expect((await changeEmail(device, `x${i}-${alice.email}`, "not my password")).status).toBe(400);
    }
    expect(await spent()).toEqual([]);
    expect((await changeEmail(device, `moved-${alice.email}`, alice.password)).status).toBe(200);
    expect(await spent()).toEqual([1]);
  });
});

describe("a stolen session", () => {
  async function stealSession(victim: SignedUp): Promise<TestClient> {
    const attacker = server.client();
    attacker.cookies.set("session", sessionToken(victim.client));
    expect(await attacker.me()).toMatchObject({ isAuthenticated: true, id: victim.id });
    return attacker;
  }

  it("can no longer move the address away and take the account through a reset", async () => {
    const victim = await signUp(server);
    const attacker = await stealSession(victim);
    const attackerEmail = `${uniqueName("mallory")}@evil.example`;

    // Step 1, the takeover's first step, now fails: no password, or a guessed one.
    const moved = await changeEmail(attacker, attackerEmail);
    expect(moved.status).toBe(400);
    expect(moved.error?.data.fieldErrors).toEqual({ password: [PASSWORD_REQUIRED] });
    expect((await changeEmail(attacker, attackerEmail, "password123")).status).toBe(400);
    expect(await storedEmail(victim.id)).toBe(victim.email);

    // Step 2: a reset for the attacker's address reaches nobody; the victim's own still reaches the victim.
    const requested = await server.client().mutation("auth.requestPasswordReset", { email: attackerEmail });
    expect(requested.status).toBe(200);
    expect((await server.client().mutation("auth.requestPasswordReset", { email: victim.email })).status).toBe(200);
    await waitForResetToken(server.dataDir, victim.email);
    expect(await messagesTo(attackerEmail)).toEqual([]);
    expect((await server.client().login(victim.username, victim.password)).status).toBe(200);
  });
});

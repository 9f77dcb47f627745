import type { AreaContext } from "./area.ts";
import type { Client } from "./http.ts";
import { mailsTo, waitForMail, type Mail } from "./mail.ts";
import { forgedToken, logIn, seedUser, sessionIdOf, strongPassword, uniqueName, type SeededUser } from "./seed.ts";

/** A logged-in user whose browser (`client`) an attacker tries to ride. */
export interface Victim {
  user: SeededUser;
  client: Client;
}

export async function newVictim(area: AreaContext): Promise<Victim> {
  const user = await seedUser(area.sql);
  const client = area.client();
  await logIn(client, user.username, user.password);
  return { user, client };
}

/** Valid input for a procedure, for a given victim: what the victim's own SPA would send. */
export type InputFactory = (victim: Victim) => Promise<unknown>;

/** A fresh, unused reset token for the victim, read from the outbox. */
export async function resetTokenFor(area: AreaContext, user: SeededUser): Promise<string> {
  const hasLink = (mail: Mail): boolean => mail.resetToken !== undefined;
  const before = (await mailsTo(area.info.dataDir, user.email)).filter(hasLink).length;
  const requester = area.client({ browser: false });
  const answer = await requester.mutation("auth.requestPasswordReset", { email: user.email });
  if (answer.status !== 200) throw new Error(`requestPasswordReset answered ${answer.status}`);
  const mail = await waitForMail(area.info.dataDir, user.email, before, 5_000, hasLink);
  if (!mail.resetToken) throw new Error(`no reset link in the mail to ${user.email}`);
  return mail.resetToken;
}

/**
 * Valid input for every procedure the router has today. A procedure missing here makes the CSRF and
 * access checks fail on purpose: a new procedure must be classified and given an input.
 */
export function inputFactories(area: AreaContext): Record<string, InputFactory> {
  return {
    "health.ping": () => Promise.resolve(undefined),
    "auth.me": () => Promise.resolve(undefined),
    "auth.sessions.list": () => Promise.resolve(undefined),
    "auth.checkResetToken": () => Promise.resolve({ token: forgedToken() }),
    "auth.signup": () => {
      const username = uniqueName("csrf");
      return Promise.resolve({ username, email: `${username}@example.com`, password: strongPassword() });
    },
    "auth.login": (victim) => Promise.resolve({ username: victim.user.username, password: victim.user.password }),
    "auth.logout": () => Promise.resolve({}),
    "auth.changePassword": (victim) =>
      Promise.resolve({ oldPassword: victim.user.password, newPassword: strongPassword() }),
    "auth.updateAccount": (victim) =>
      Promise.resolve({ firstName: "Changed", lastName: "Meanwhile", email: victim.user.email }),
    "auth.requestPasswordReset": (victim) => Promise.resolve({ email: victim.user.email }),
    "auth.resetPassword": async (victim) => ({
      token: await resetTokenFor(area, victim.user),
      newPassword: strongPassword(),
    }),
    "auth.confirmPasswordReset": async (victim) => ({
      token: await resetTokenFor(area, victim.user),
      newPassword: strongPassword(),
    }),
    "auth.sessions.revoke": async (victim) => {
      const other = area.client();
      await logIn(other, victim.user.username, victim.user.password);
      return { id: sessionIdOf(other.sessionToken ?? "") };
    },
    "auth.sessions.revokeOthers": () => Promise.resolve({}),
  };
}

import { describe, expect, it } from "vitest";
import {
  generateSessionToken,
  getSessionExpiresAt,
  isSessionExpired,
  parseSessionToken,
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_INACTIVITY_TIMEOUT_MS,
  SESSION_RENEW_THRESHOLD_MS,
  shouldRenewSession,
} from "./sessions.ts";

const DAY = 24 * 60 * 60 * 1000;
const created = new Date("2025-01-01T00:00:00Z");

describe("session tokens", () => {
  it("are <id>.<secret> with the hash of the secret to store", () => {
    const { id, secret, token, secretHash } = generateSessionToken();
    expect(token).toBe(`${id}.${secret}`);
    expect(token).toMatch(/^[a-z2-7]{32}\.[a-z2-7]{32}$/);
    expect(secretHash).toHaveLength(32);
  });

  it("are different every time", () => {
    expect(generateSessionToken().token).not.toBe(generateSessionToken().token);
  });

  it("parse back into id and secret", () => {
    const { id, secret, token } = generateSessionToken();
    expect(parseSessionToken(token)).toEqual({ id, secret });
  });

  it("parse to null when malformed, without throwing", () => {
    const { id, secret } = generateSessionToken();
    for (const bad of [
      "",
      ".",
      id,
      `${id}.`,
      `.${secret}`,
      `${id}.${secret}.x`,
      `${id}:${secret}`,
      `${id.toUpperCase()}.${secret}`,
      `${id}.${secret.slice(1)}0`,
      ` ${id}.${secret}`,
      `${id}.${secret}\n`,
      `${id}.${secret}`.repeat(100_000),
      null,
      undefined,
      42,
      { id, secret },
    ]) {
      expect(parseSessionToken(bad)).toBeNull();
    }
  });
});

describe("session lifetimes", () => {
  it("default to 14 days of inactivity, 90 days in all and a 1-hour renewal threshold", () => {
    expect(SESSION_INACTIVITY_TIMEOUT_MS).toBe(14 * DAY);
    expect(SESSION_ABSOLUTE_LIFETIME_MS).toBe(90 * DAY);
    expect(SESSION_RENEW_THRESHOLD_MS).toBe(60 * 60 * 1000);
  });

  it("expire 14 days after the last use", () => {
    const session = { createdAt: created, lastVerifiedAt: new Date(created.getTime() + DAY) };
    expect(getSessionExpiresAt(session)).toEqual(new Date(created.getTime() + 15 * DAY));
    expect(isSessionExpired(session, new Date(created.getTime() + 15 * DAY - 1))).toBe(false);
    expect(isSessionExpired(session, new Date(created.getTime() + 15 * DAY))).toBe(true);
  });

  it("expire 90 days after creation however active", () => {
    const session = { createdAt: created, lastVerifiedAt: new Date(created.getTime() + 89 * DAY) };
    expect(getSessionExpiresAt(session)).toEqual(new Date(created.getTime() + 90 * DAY));
    expect(isSessionExpired(session, new Date(created.getTime() + 90 * DAY))).toBe(true);
  });

  it("follow a custom policy", () => {
    const session = { createdAt: created, lastVerifiedAt: created };
    expect(isSessionExpired(session, new Date(created.getTime() + 2000), { inactivityTimeoutMs: 1000 })).toBe(true);
  });

  it("are renewed at most once an hour", () => {
    const session = { createdAt: created, lastVerifiedAt: created };
    expect(shouldRenewSession(session, new Date(created.getTime() + SESSION_RENEW_THRESHOLD_MS - 1))).toBe(false);
    expect(shouldRenewSession(session, new Date(created.getTime() + SESSION_RENEW_THRESHOLD_MS))).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { escapeHtml, passwordChangedEmail, passwordResetEmail } from "./templates.ts";

const RESET_URL = "http://localhost:3000/reset-password/abcd.efghijklmnopqrstuvwxyz0123456789-_ABCDEFGH";
const HOSTILE_NAME = `<script>alert("x")</script>`;

function resetEmail(
  overrides: Partial<Parameters<typeof passwordResetEmail>[0]> = {},
): ReturnType<typeof passwordResetEmail> {
  return passwordResetEmail({
    to: "alice@example.com",
    username: "alice",
    resetUrl: RESET_URL,
    expiresInMinutes: 60,
    siteName: "tsbin",
    ...overrides,
  });
}

describe("passwordResetEmail", () => {
  it("uses Django's wording, with the link alone on its own line of the text part", () => {
    const email = resetEmail();
    expect(email.to).toBe("alice@example.com");
    expect(email.subject).toBe("Password reset on tsbin");
    const lines = email.text.split("\n");
    expect(lines).toContain(
      "You're receiving this email because you requested a password reset for your user account at tsbin.",
    );
    expect(lines).toContain("Please go to the following page and choose a new password:");
    expect(lines).toContain(RESET_URL);
    expect(lines).toContain("Your username, in case you've forgotten: alice");
    expect(lines).toContain("Thanks for using our site!");
    expect(lines).toContain("The tsbin team");
  });

  it("links the same URL from the HTML part", () => {
    expect(resetEmail().html).toContain(`<a href="${RESET_URL}">${RESET_URL}</a>`);
  });

  it("states how long the link lasts", () => {
    expect(resetEmail().text).toContain("This link expires in 1 hour");
    expect(resetEmail({ expiresInMinutes: 120 }).text).toContain("expires in 2 hours");
    expect(resetEmail({ expiresInMinutes: 15 }).html).toContain("expires in 15 minutes");
  });

  it("says that a newer request replaces the link, in both parts", () => {
    // The API spends older links when a new one is issued; an impatient second request would
    // otherwise leave the first email's link failing for no reason its reader can see.
    for (const part of [resetEmail().text, resetEmail().html]) {
      expect(part).toContain("works only once; a newer reset request replaces it.");
    }
  });

  it("escapes a hostile username and site name in the HTML part but keeps them as typed in the text part", () => {
    const email = resetEmail({ username: HOSTILE_NAME, siteName: "Tom & Jerry's <bin>" });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(email.html).toContain("Tom &amp; Jerry&#39;s &lt;bin&gt;");
    expect(email.text).toContain(`Your username, in case you've forgotten: ${HOSTILE_NAME}`);
  });

  it("refuses a reset link that is not http(s), which would otherwise become a javascript: href", () => {
    expect(() => resetEmail({ resetUrl: "javascript:alert(1)" })).toThrow(RangeError);
  });

  it("refuses a lifetime that is not a positive whole number of minutes", () => {
    expect(() => resetEmail({ expiresInMinutes: 0 })).toThrow(RangeError);
    expect(() => resetEmail({ expiresInMinutes: 1.5 })).toThrow(RangeError);
  });
});

describe("passwordChangedEmail", () => {
  const when = new Date("2031-04-05T06:07:08Z");

  it("says when the password changed and what to do if it was not the owner", () => {
    const email = passwordChangedEmail({ to: "alice@example.com", username: "alice", siteName: "tsbin", when });
    expect(email.to).toBe("alice@example.com");
    expect(email.subject).toBe("Your password on tsbin was changed");
    expect(email.text).toContain("The password for your user account at tsbin was changed on 2031-04-05 06:07 UTC.");
    expect(email.text).toContain("If you did not change it");
    expect(email.text).toContain("reset it now");
  });

  it("contains no URL at all, so no token can leak through it", () => {
    const email = passwordChangedEmail({ to: "alice@example.com", username: "alice", siteName: "tsbin", when });
    for (const body of [email.text, email.html]) {
      expect(body).not.toMatch(/[a-z][a-z0-9+.-]*:\/\//iu);
      expect(body).not.toContain("reset-password/");
      expect(body).not.toContain("href=");
    }
  });

  it("escapes a hostile username in the HTML part", () => {
    const email = passwordChangedEmail({ to: "alice@example.com", username: HOSTILE_NAME, siteName: "tsbin", when });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("Hello <strong>&lt;script&gt;");
  });

  it("refuses an invalid date rather than printing NaN", () => {
    expect(() =>
      passwordChangedEmail({ to: "a@example.com", username: "a", siteName: "tsbin", when: new Date("nope") }),
    ).toThrow(RangeError);
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in element content and quoted attributes", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });
});

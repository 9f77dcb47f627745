import { describe, expect, it } from "vitest";
import { emailChangedEmail } from "./email-changed.ts";

const when = new Date("2031-04-05T06:07:08Z");

function notice(
  overrides: Partial<Parameters<typeof emailChangedEmail>[0]> = {},
): ReturnType<typeof emailChangedEmail> {
  return emailChangedEmail({
    to: "alice@example.com",
    username: "alice",
    newEmail: "mallory@evil.example",
    siteName: "tsbin",
    when,
    ...overrides,
  });
}

describe("emailChangedEmail", () => {
  it("goes to the old address and says the address changed, to what (masked) and when", () => {
    const email = notice();
    expect(email.to).toBe("alice@example.com");
    expect(email.subject).toBe("The email address of your account on tsbin was changed");
    expect(email.text).toContain(
      "The email address of your user account at tsbin was changed to m***@e***.example on 2031-04-05 06:07 UTC.",
    );
    expect(email.html).toContain("was changed to <strong>m***@e***.example</strong> on 2031-04-05 06:07 UTC.");
  });

  it("never shows the new address in full, in either part", () => {
    const email = notice();
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).not.toContain("mallory");
      expect(part).not.toContain("evil.example");
    }
  });

  it("tells the owner to contact the administrators rather than reset the password", () => {
    const email = notice();
    for (const part of [email.text, email.html]) {
      expect(part).toContain("If you did not make this change");
      expect(part).toContain("Password reset links now go to the new address, so do not try to reset your password");
    }
    expect(email.text).toContain("contact the site's administrators");
    expect(email.html).toContain("contact the site&#39;s administrators");
  });

  it("says the address was removed when the account has none now", () => {
    const email = notice({ newEmail: "" });
    expect(email.text).toContain(
      "The email address of your user account at tsbin was removed on 2031-04-05 06:07 UTC.",
    );
    expect(email.text).not.toContain("changed to");
  });

  it("contains no URL at all, so nothing in it can be followed", () => {
    for (const body of [notice().text, notice().html]) {
      expect(body).not.toMatch(/[a-z][a-z0-9+.-]*:\/\//iu);
      expect(body).not.toContain("href=");
    }
  });

  it("escapes a hostile username, site name and address in the HTML part", () => {
    const email = notice({ username: "<script>x</script>", siteName: "Tom & Jerry", newEmail: "<b@x.com" });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("Hello <strong>&lt;script&gt;x&lt;/script&gt;</strong>,");
    expect(email.html).toContain("at Tom &amp; Jerry was changed to <strong>&lt;***@x***.com</strong>");
    expect(email.text).toContain("Hello <script>x</script>,");
  });

  it("refuses an invalid date rather than printing NaN", () => {
    expect(() => notice({ when: new Date("nope") })).toThrow(RangeError);
  });
});

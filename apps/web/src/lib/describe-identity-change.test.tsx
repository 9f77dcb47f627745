import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ANONYMOUS_USER, type AuthenticatedUser } from "./current-user.ts";
import { describeIdentityChange } from "./describe-identity-change.tsx";
import type { IdentityChange } from "./identity-watch.ts";

function user(id: number, username: string): AuthenticatedUser {
  return {
    isAuthenticated: true,
    isAnonymous: false,
    id,
    username,
    email: `${username}@example.com`,
    firstName: "",
    lastName: "",
    isActive: true,
    isStaff: false,
    isSuperuser: false,
    dateJoined: new Date("2025-01-01T00:00:00Z"),
    lastLogin: null,
  };
}

function say(change: IdentityChange): string {
  return renderToStaticMarkup(describeIdentityChange(change));
}

describe("describeIdentityChange", () => {
  it("says the same user logged in again, not that the browser changed accounts", () => {
    expect(say({ from: null, to: user(1, "alice"), lastLoggedIn: 1 })).toBe(
      "You logged in again as <bdi>alice</bdi>, in another window.",
    );
  });

  it("says another account now shows, after a switch or a login as someone else", () => {
    const switched = "This browser is now logged in as <bdi>bob</bdi>, from another window.";
    expect(say({ from: 1, to: user(2, "bob"), lastLoggedIn: 1 })).toContain(switched);
    expect(say({ from: null, to: user(2, "bob"), lastLoggedIn: 1 })).toContain(switched);
    expect(say({ from: null, to: user(2, "bob"), lastLoggedIn: null })).toContain(switched);
  });

  it("says the user was logged out", () => {
    expect(say({ from: 1, to: ANONYMOUS_USER, lastLoggedIn: 1 })).toContain("You were logged out");
  });
});

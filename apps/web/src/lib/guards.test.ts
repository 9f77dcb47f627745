import { isRedirect } from "@tanstack/react-router";
import { ANONYMOUS_USER } from "@tsbin/auth-core";
import { describe, expect, it } from "vitest";
import type { AuthenticatedUser } from "./current-user.ts";
import { ForbiddenError, loggedOutOnly, loginRequired, staffRequired, type GuardArgs } from "./guards.ts";

function user(overrides: Partial<AuthenticatedUser> = {}): AuthenticatedUser {
  return {
    isAuthenticated: true,
    isAnonymous: false,
    id: 7,
    username: "alice",
    email: "alice@example.com",
    firstName: "Alice",
    lastName: "Liddell",
    isActive: true,
    isStaff: false,
    isSuperuser: false,
    dateJoined: new Date("2025-01-01T00:00:00Z"),
    lastLogin: null,
    ...overrides,
  };
}

function args(current: GuardArgs["context"]["user"], href = "/account/sessions?x=1"): GuardArgs {
  return { context: { user: current }, location: { href } };
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the guard to throw");
}

describe("loginRequired", () => {
  it("sends the anonymous user to the login page with this page as next", () => {
    const error = thrownBy(() => loginRequired(args(ANONYMOUS_USER)));
    expect(isRedirect(error)).toBe(true);
    if (!isRedirect(error)) return;
    expect(error.options.to).toBe("/login");
    expect(error.options.search).toEqual({ next: "/account/sessions?x=1" });
    expect(error.options.replace).toBe(true);
  });

  it("lets a logged-in user through and narrows the context to them", () => {
    const alice = user();
    expect(loginRequired(args(alice))).toEqual({ user: alice });
  });
});

describe("staffRequired", () => {
  it("sends the anonymous user to log in first", () => {
    expect(isRedirect(thrownBy(() => staffRequired(args(ANONYMOUS_USER, "/admin"))))).toBe(true);
  });

  it("refuses a logged-in user who is not staff with the 403 error", () => {
    expect(thrownBy(() => staffRequired(args(user())))).toBeInstanceOf(ForbiddenError);
  });

  it("refuses a superuser who is not staff, as Django's staff_member_required does", () => {
    expect(thrownBy(() => staffRequired(args(user({ isSuperuser: true }))))).toBeInstanceOf(ForbiddenError);
  });

  it("lets a staff member through", () => {
    const staff = user({ isStaff: true });
    expect(staffRequired(args(staff))).toEqual({ user: staff });
  });
});

describe("loggedOutOnly", () => {
  it("sends a logged-in visitor to the home page", () => {
    const error = thrownBy(() => loggedOutOnly(args(user(), "/logged-out")));
    expect(isRedirect(error)).toBe(true);
    if (!isRedirect(error)) return;
    expect(error.options.to).toBe("/");
  });

  it("lets the anonymous user through", () => {
    expect(() => loggedOutOnly(args(ANONYMOUS_USER, "/logged-out"))).not.toThrow();
  });
});

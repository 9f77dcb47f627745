import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ANONYMOUS_USER,
  getFullName,
  getShortName,
  getUsername,
  isAuthenticatedUser,
  toUser,
  type AnonymousUser,
  type AuthUser,
  type User,
} from "./user.ts";

const alice: User = toUser({
  id: 1,
  username: "alice",
  email: "alice@example.com",
  firstName: "Alice",
  lastName: "Liddell",
  isActive: true,
  isStaff: false,
  isSuperuser: false,
  dateJoined: new Date("2024-01-01T00:00:00Z"),
  lastLogin: null,
});

// Stand-ins for what the API does with users; only their signatures matter here.
function currentUser(): AuthUser {
  return ANONYMOUS_USER;
}
function saveUser(user: User): number {
  return user.id;
}
function deleteUser(user: User): string {
  return user.username;
}

describe("the anonymous user", () => {
  it("has Django's AnonymousUser values", () => {
    expect(ANONYMOUS_USER).toEqual({
      id: null,
      username: "",
      isActive: false,
      isStaff: false,
      isSuperuser: false,
      isAuthenticated: false,
      isAnonymous: true,
    });
  });

  it("cannot be modified", () => {
    expect(Object.isFrozen(ANONYMOUS_USER)).toBe(true);
    expect(() => {
      (ANONYMOUS_USER as { isSuperuser: boolean }).isSuperuser = true;
    }).toThrow(TypeError);
  });

  it("is not an authenticated user", () => {
    expect(isAuthenticatedUser(ANONYMOUS_USER)).toBe(false);
    expect(getUsername(ANONYMOUS_USER)).toBe("");
  });

  it("cannot be passed where a User is required (type test)", () => {
    expectTypeOf(ANONYMOUS_USER).not.toExtend<User>();
    expectTypeOf<AnonymousUser["id"]>().toEqualTypeOf<null>();
    // @ts-expect-error the anonymous user cannot be saved
    saveUser(ANONYMOUS_USER);
    const current = currentUser();
    // @ts-expect-error an AuthUser may be anonymous, so it must be narrowed before deleting
    deleteUser(current);
    if (isAuthenticatedUser(current)) expectTypeOf(deleteUser(current)).toBeString();
  });
});

describe("users", () => {
  it("carry the literal authenticated flags", () => {
    expect(alice.isAuthenticated).toBe(true);
    expect(alice.isAnonymous).toBe(false);
    expect(isAuthenticatedUser(alice)).toBe(true);
    expectTypeOf(alice.isAuthenticated).toEqualTypeOf<true>();
  });

  it("narrow on isAuthenticated or isAnonymous (type test)", () => {
    const user = alice as AuthUser;
    if (user.isAuthenticated) expectTypeOf(user).toEqualTypeOf<User>();
    else expectTypeOf(user).toEqualTypeOf<AnonymousUser>();
    if (user.isAnonymous) expectTypeOf(user.id).toEqualTypeOf<null>();
    else expectTypeOf(user.id).toEqualTypeOf<number>();
  });

  it("give their username, full name and short name like Django", () => {
    expect(getUsername(alice)).toBe("alice");
    expect(getFullName(alice)).toBe("Alice Liddell");
    expect(getShortName(alice)).toBe("Alice");
  });

  it("give a trimmed full name when a name part is missing", () => {
    expect(getFullName({ firstName: "", lastName: "Liddell" })).toBe("Liddell");
    expect(getFullName({ firstName: "Alice", lastName: "" })).toBe("Alice");
    expect(getFullName({ firstName: "", lastName: "" })).toBe("");
  });

  it("are built from stored fields without extra properties leaking in", () => {
    const row = { ...alice, password: "pbkdf2_sha256$1$salt$hash" };
    expect(toUser(row)).toEqual(alice);
    expect(toUser(row)).not.toHaveProperty("password");
  });
});

import { describe, expect, it } from "vitest";
import { hasModulePerms, hasPerm, hasPerms, type PermissionSubject } from "./permissions.ts";
import { ANONYMOUS_USER } from "./user.ts";

const member: PermissionSubject = { isActive: true, isSuperuser: false, isAnonymous: false };
const superuser: PermissionSubject = { isActive: true, isSuperuser: true, isAnonymous: false };
const inactiveSuperuser: PermissionSubject = { isActive: false, isSuperuser: true, isAnonymous: false };
const inactiveMember: PermissionSubject = { isActive: false, isSuperuser: false, isAnonymous: false };

const granted = new Set(["snippets.add_snippet", "snippets.change_snippet", "profiles.view_author"]);
const everything = new Set([...granted, "auth.delete_user", "snippets.delete_snippet"]);

describe("hasPerm", () => {
  it("grants a user exactly the permissions it holds", () => {
    expect(hasPerm(member, "snippets.add_snippet", granted)).toBe(true);
    expect(hasPerm(member, "snippets.delete_snippet", granted)).toBe(false);
  });

  it("accepts the granted permissions as an array too", () => {
    expect(hasPerm(member, "profiles.view_author", [...granted])).toBe(true);
    expect(hasPerm(member, "auth.delete_user", [...granted])).toBe(false);
  });

  it("gives an active superuser every permission, even one not granted", () => {
    expect(hasPerm(superuser, "auth.delete_user", new Set())).toBe(true);
  });

  it("gives an inactive user nothing, superuser or not", () => {
    expect(hasPerm(inactiveMember, "snippets.add_snippet", everything)).toBe(false);
    expect(hasPerm(inactiveSuperuser, "snippets.add_snippet", everything)).toBe(false);
  });

  it("gives the anonymous user nothing", () => {
    expect(hasPerm(ANONYMOUS_USER, "snippets.add_snippet", everything)).toBe(false);
  });

  it("gives nothing to an anonymous subject even if it claims to be an active superuser", () => {
    const forged: PermissionSubject = { isActive: true, isSuperuser: true, isAnonymous: true };
    expect(hasPerm(forged, "auth.delete_user", everything)).toBe(false);
  });

  it("matches whole permission names only", () => {
    expect(hasPerm(member, "snippets.add", granted)).toBe(false);
    expect(hasPerm(member, "snippets", granted)).toBe(false);
  });
});

describe("hasPerms", () => {
  it("requires every listed permission", () => {
    expect(hasPerms(member, ["snippets.add_snippet", "snippets.change_snippet"], granted)).toBe(true);
    expect(hasPerms(member, ["snippets.add_snippet", "snippets.delete_snippet"], granted)).toBe(false);
  });

  it("is true for an empty list, like Python's all()", () => {
    expect(hasPerms(member, [], new Set())).toBe(true);
  });

  it("follows the superuser, inactive and anonymous rules", () => {
    expect(hasPerms(superuser, ["auth.delete_user", "x.y"], new Set())).toBe(true);
    expect(hasPerms(inactiveSuperuser, ["snippets.add_snippet"], everything)).toBe(false);
    expect(hasPerms(ANONYMOUS_USER, ["snippets.add_snippet"], everything)).toBe(false);
  });
});

describe("hasModulePerms", () => {
  it("is true when the user holds any permission of the app", () => {
    expect(hasModulePerms(member, "snippets", granted)).toBe(true);
    expect(hasModulePerms(member, "auth", granted)).toBe(false);
  });

  it("compares the whole app label", () => {
    expect(hasModulePerms(member, "snip", granted)).toBe(false);
    expect(hasModulePerms(member, "snippets.add_snippet", granted)).toBe(false);
  });

  it("follows the superuser, inactive and anonymous rules", () => {
    expect(hasModulePerms(superuser, "auth", new Set())).toBe(true);
    expect(hasModulePerms(inactiveSuperuser, "snippets", everything)).toBe(false);
    expect(hasModulePerms(ANONYMOUS_USER, "snippets", everything)).toBe(false);
  });
});

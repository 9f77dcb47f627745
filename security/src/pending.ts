import { hasProcedure, hasProceduresUnder, listProcedures } from "./harness/procedures.ts";

/**
 * Checks, or parts of checks, that cannot apply to the API yet, each with the reason. pending.test.ts
 * asserts every reason still holds, so the day the feature lands that test fails and the check must be
 * written. The summary lists them; a check whose every part is pending counts as pending.
 */
export interface PendingCheck {
  id: string;
  /** "whole" when nothing of the check can run yet; otherwise the part that cannot. */
  part: string;
  reason: string;
  /** True while the reason holds. */
  stillTrue: () => boolean | Promise<boolean>;
}

const noProfileUpdate = (): boolean => !hasProcedure("profile.update");
const noAdmin = (): boolean => !hasProceduresUnder("admin.");
const noGatedProcedure = (): boolean =>
  !listProcedures().some((p) => p.access === "staff" || p.access === "permission" || p.access === "test");

export const PENDING: readonly PendingCheck[] = [
  {
    id: "Z2",
    part: "whole",
    reason: "no admin.* procedure exists yet (admin issue): nothing to call as R, S0, S1, SU or SI",
    stillTrue: noAdmin,
  },
  {
    id: "Z6",
    part: "whole",
    reason: "no admin.* procedure exists yet: admin.users.update / setPermissions cannot be called",
    stillTrue: noAdmin,
  },
  {
    id: "Z7",
    part: "whole",
    reason:
      "no procedure is gated by a permission, a group or the staff flag yet (staffRequired/permissionRequired unused)",
    stillTrue: () => noAdmin() && noGatedProcedure(),
  },
  {
    id: "S8",
    part: "profile.update with the disabled user's token",
    reason: "profile.update does not exist yet (profiles issue)",
    stillTrue: noProfileUpdate,
  },
  {
    id: "X1",
    part: "profile.update and admin.* mutations",
    reason: "neither profile.update nor any admin.* mutation exists yet; every existing mutation is checked",
    stillTrue: () => noProfileUpdate() && noAdmin(),
  },
  {
    id: "X2",
    part: "profile.update and admin.* mutations",
    reason: "neither profile.update nor any admin.* mutation exists yet; every existing mutation is checked",
    stillTrue: () => noProfileUpdate() && noAdmin(),
  },
  {
    id: "X5",
    part: "forms aimed at /trpc/profile.update",
    reason:
      "profile.update does not exist yet; the attack page targets auth.updateAccount and auth.changePassword instead",
    stillTrue: noProfileUpdate,
  },
  {
    id: "Z3",
    part: "profile.get/profile.update with B's identifiers; the admin user list as a non-staff user",
    reason: "profile.* and admin.users.list do not exist yet; auth.sessions.revoke with B's session id is checked",
    stillTrue: () => !hasProcedure("profile.get") && noProfileUpdate() && noAdmin(),
  },
  {
    id: "Z4",
    part: "profile.update with privileged keys",
    reason: "profile.update does not exist yet; auth.signup and auth.updateAccount are checked",
    stillTrue: noProfileUpdate,
  },
  {
    id: "Z5",
    part: "profile.update and admin filters as carriers; admin.users.list as a fresh regular user; a test-mode ({}).isStaff probe",
    reason: "profile.update and admin.* do not exist yet and the server has no test-mode probe endpoint",
    stillTrue: () => noProfileUpdate() && noAdmin(),
  },
  {
    id: "V4",
    part: "displayName and bio",
    reason: "profile fields cannot be written yet (no profile.update)",
    stillTrue: noProfileUpdate,
  },
  {
    id: "V7",
    part: "sort, filter and search parameters of the admin user list",
    reason: "admin.users.list does not exist yet",
    stillTrue: noAdmin,
  },
  {
    id: "V8",
    part: "displayName, bio and website in the own profile, the public profile and the admin user list",
    reason: "profile.update and the profile/admin pages do not exist yet; first and last name are checked",
    stillTrue: noProfileUpdate,
  },
  {
    id: "F4",
    part: "(b) a failing permission lookup",
    reason: "no procedure reads permissions yet (permissionRequired is unused)",
    stillTrue: noGatedProcedure,
  },
  {
    id: "F5",
    part: "acknowledged profile updates survive the crash",
    reason: "profile.update does not exist yet; acknowledged sign-ups, passwords and sessions are checked",
    stillTrue: noProfileUpdate,
  },
];

/** Parts that depend on the running server rather than the router; pending.test.ts probes them over HTTP. */
export const SERVER_TIMING_PENDING: readonly Omit<PendingCheck, "stillTrue">[] = [
  {
    id: "E2",
    part: "white-box count of hasher calls per login, and a Server-Timing duration",
    reason:
      "the server exposes neither (no Server-Timing header, auth-core's onHasherCall is not wired); wall-clock medians are used",
  },
  {
    id: "A5",
    part: "a hasher-call counter proving oversized passwords never reach the hasher",
    reason: "the server exposes no hasher counter; the 413/400 answer time and the error layer are checked instead",
  },
];

import type { AuthUser } from "./user.ts";

/**
 * What a permission check needs to know about a user. Both `User` and `AnonymousUser` fit, and
 * so does any row carrying these three flags.
 */
export type PermissionSubject = Pick<AuthUser, "isActive" | "isSuperuser" | "isAnonymous">;

/**
 * The permissions granted to a user, as `"app_label.codename"` strings: the union of the user's
 * own permissions and those of all of its groups (what Django's `get_all_permissions()`
 * returns). Load it however suits the caller; these checks never query anything.
 */
export type GrantedPermissions = ReadonlySet<string> | readonly string[];

function grants(granted: GrantedPermissions, perm: string): boolean {
  return Array.isArray(granted) ? granted.includes(perm) : (granted as ReadonlySet<string>).has(perm);
}

function mayHavePermissions(user: PermissionSubject): boolean {
  return user.isActive && !user.isAnonymous;
}

/**
 * Django's `user.has_perm("app_label.codename")`: an active superuser has every permission; an
 * inactive user and the anonymous user have none; anyone else has exactly what `granted` holds.
 */
export function hasPerm(user: PermissionSubject, perm: string, granted: GrantedPermissions): boolean {
  if (!mayHavePermissions(user)) return false;
  if (user.isSuperuser) return true;
  return grants(granted, perm);
}

/** Django's `user.has_perms([...])`: true when the user has every one of `perms`. */
export function hasPerms(user: PermissionSubject, perms: readonly string[], granted: GrantedPermissions): boolean {
  return perms.every((perm) => hasPerm(user, perm, granted));
}

/**
 * Django's `user.has_module_perms("app_label")`: true when the user has any permission in that
 * app (an active superuser always does).
 */
export function hasModulePerms(user: PermissionSubject, appLabel: string, granted: GrantedPermissions): boolean {
  if (!mayHavePermissions(user)) return false;
  if (user.isSuperuser) return true;
  for (const perm of granted) {
    // As Django does: the app label is the text before the first dot.
    const dot = perm.indexOf(".");
    if (dot !== -1 && perm.slice(0, dot) === appLabel) return true;
  }
  return false;
}

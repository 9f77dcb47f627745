/**
 * An authenticated user: Django's `AbstractUser` fields in camelCase. `isAuthenticated` and
 * `isAnonymous` are literal types, so `AuthUser` narrows on either of them.
 */
export interface User {
  readonly id: number;
  readonly username: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly isActive: boolean;
  readonly isStaff: boolean;
  readonly isSuperuser: boolean;
  readonly dateJoined: Date;
  readonly lastLogin: Date | null;
  readonly isAuthenticated: true;
  readonly isAnonymous: false;
}

/**
 * Django's `AnonymousUser`: the user of a request without a valid session. It has the shape a
 * permission check needs and always says no. It has no `id`, so nothing typed to take a `User`
 * (saving, deleting, changing a password) accepts it.
 */
export interface AnonymousUser {
  readonly id: null;
  readonly username: "";
  readonly isActive: false;
  readonly isStaff: false;
  readonly isSuperuser: false;
  readonly isAuthenticated: false;
  readonly isAnonymous: true;
}

/** Django's `request.user`: a real user or the anonymous user, never `null`. */
export type AuthUser = User | AnonymousUser;

/** The stored fields of a user, without the two literal flags `toUser` adds. */
export type UserFields = Omit<User, "isAuthenticated" | "isAnonymous">;

/** The single anonymous user value (frozen, so no code path can turn it into someone). */
export const ANONYMOUS_USER: AnonymousUser = Object.freeze({
  id: null,
  username: "",
  isActive: false,
  isStaff: false,
  isSuperuser: false,
  isAuthenticated: false,
  isAnonymous: true,
});

/** Makes a `User` from stored fields (for example a database row), adding the literal flags. */
export function toUser(fields: UserFields): User {
  return {
    id: fields.id,
    username: fields.username,
    email: fields.email,
    firstName: fields.firstName,
    lastName: fields.lastName,
    isActive: fields.isActive,
    isStaff: fields.isStaff,
    isSuperuser: fields.isSuperuser,
    dateJoined: fields.dateJoined,
    lastLogin: fields.lastLogin,
    isAuthenticated: true,
    isAnonymous: false,
  };
}

/** Narrows an `AuthUser` to a `User` (Django's `user.is_authenticated`). */
export function isAuthenticatedUser(user: AuthUser): user is User {
  return user.isAuthenticated;
}

/** Django's `get_username()`: the username, `""` for the anonymous user. */
export function getUsername(user: AuthUser): string {
  return user.username;
}

/** Django's `get_full_name()`: first and last name separated by a space, trimmed. */
export function getFullName(user: Pick<User, "firstName" | "lastName">): string {
  return `${user.firstName} ${user.lastName}`.trim();
}

/** Django's `get_short_name()`: the first name. */
export function getShortName(user: Pick<User, "firstName">): string {
  return user.firstName;
}

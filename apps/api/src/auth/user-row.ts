import { ANONYMOUS_USER, toUser, type AuthUser, type User, type UserFields } from "@tsbin/auth-core";
import { users } from "@tsbin/db";

/** The user columns every query selects; never the password hash. */
export const userColumns = {
  id: users.id,
  username: users.username,
  email: users.email,
  firstName: users.firstName,
  lastName: users.lastName,
  isActive: users.isActive,
  isStaff: users.isStaff,
  isSuperuser: users.isSuperuser,
  dateJoined: users.dateJoined,
  lastLogin: users.lastLogin,
} as const;

export type UserRow = UserFields;

export function userFromRow(row: UserRow): User {
  return toUser(row);
}

/**
 * What `auth.me` and other procedures show of a user: the wire contract's shape, copied field by
 * field so that nothing else a caller put on the object can reach a response.
 */
export function publicUser(user: User): User {
  return {
    isAuthenticated: true,
    isAnonymous: false,
    id: user.id,
    username: user.username,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    isActive: user.isActive,
    isStaff: user.isStaff,
    isSuperuser: user.isSuperuser,
    dateJoined: user.dateJoined,
    lastLogin: user.lastLogin,
  };
}

/** What `auth.me` answers: the user's public details, or the anonymous user. */
export function whoAmI(user: AuthUser): AuthUser {
  return user.isAuthenticated ? publicUser(user) : ANONYMOUS_USER;
}

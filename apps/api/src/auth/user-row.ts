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

/** The user's columns as raw SQL (`DbHandle.query`) returns them, in snake_case; the id is named by each query. */
export interface UserSqlColumns {
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
  date_joined: Date;
  last_login: Date | null;
}

/** The user with `id` whose columns a raw query returned. */
export function userFromSqlColumns(id: number, row: UserSqlColumns): User {
  return toUser({
    id,
    username: row.username,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    isActive: row.is_active,
    isStaff: row.is_staff,
    isSuperuser: row.is_superuser,
    dateJoined: row.date_joined,
    lastLogin: row.last_login,
  });
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

/** superjson writes no `meta` for an object without Dates. */
const ANONYMOUS_TEXT = JSON.stringify({ json: ANONYMOUS_USER });

/**
 * What superjson writes for `whoAmI(user)`, as text, written field by field: the public
 * fields in `publicUser`'s order (nothing else on the object can get out), every Date as its ISO
 * string, and `meta.values` naming the Date fields: the `auth.me` fast path's answer, where a
 * generic `JSON.stringify` of a copy was the largest share of its own time. The fast-path test
 * checks it against superjson itself.
 */
export function whoAmIText(user: AuthUser): string {
  if (!user.isAuthenticated) return ANONYMOUS_TEXT;
  const lastLogin = user.lastLogin === null ? "null" : `"${user.lastLogin.toISOString()}"`;
  return (
    `{"json":{"isAuthenticated":true,"isAnonymous":false,"id":${user.id},` +
    `"username":${JSON.stringify(user.username)},"email":${JSON.stringify(user.email)},` +
    `"firstName":${JSON.stringify(user.firstName)},"lastName":${JSON.stringify(user.lastName)},` +
    `"isActive":${user.isActive},"isStaff":${user.isStaff},"isSuperuser":${user.isSuperuser},` +
    `"dateJoined":"${user.dateJoined.toISOString()}","lastLogin":${lastLogin}},` +
    `"meta":{"values":{"dateJoined":["Date"]${user.lastLogin === null ? "" : ',"lastLogin":["Date"]'}},"v":1}}`
  );
}

import { toUser, type User } from "@tsbin/auth-core";
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

export type UserRow = {
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  dateJoined: Date;
  lastLogin: Date | null;
};

export function userFromRow(row: UserRow): User {
  return toUser(row);
}

/** What `auth.me` and other procedures show of a user: the wire contract's shape. */
export function publicUser(user: User): {
  isAuthenticated: true;
  isAnonymous: false;
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  dateJoined: Date;
  lastLogin: Date | null;
} {
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

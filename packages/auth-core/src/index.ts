// The browser-safe entry: types, identifier rules, password validation and permission logic.
// Nothing reachable from here may import node: modules or native packages (see
// browser-entry.test.ts); hashing and token generation live in ./server.ts.
export {
  ANONYMOUS_USER,
  getFullName,
  getShortName,
  getUsername,
  isAuthenticatedUser,
  toUser,
  type AnonymousUser,
  type AuthUser,
  type User,
  type UserFields,
} from "./user.ts";
export {
  normalizeUsername,
  USERNAME_INVALID_MESSAGE,
  USERNAME_MAX_LENGTH,
  USERNAME_MIXED_SCRIPTS_MESSAGE,
  usernameKey,
  validateUsername,
} from "./username.ts";
export { EMAIL_INVALID_MESSAGE, EMAIL_MAX_LENGTH, emailKey, normalizeEmail, validateEmail } from "./email.ts";
export {
  INVALID_VALUE_MESSAGE,
  maxLengthMessage,
  NULL_CHARACTERS_MESSAGE,
  REQUIRED_MESSAGE,
} from "./field-messages.ts";
export { isPasswordTooLong, PASSWORD_MAX_LENGTH, PASSWORD_TOO_LONG_MESSAGE } from "./password-length.ts";
export {
  PASSWORD_MAX_SIMILARITY,
  PASSWORD_MIN_LENGTH,
  passwordValidatorsHelpText,
  validatePassword,
  type PasswordUserAttributes,
  type PasswordValidationError,
  type PasswordValidationErrorCode,
  type PasswordValidationOptions,
} from "./password-validation.ts";
export { hasModulePerms, hasPerm, hasPerms, type GrantedPermissions, type PermissionSubject } from "./permissions.ts";
export {
  getSessionExpiresAt,
  isSessionExpired,
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_INACTIVITY_TIMEOUT_MS,
  SESSION_RENEW_THRESHOLD_MS,
  shouldRenewSession,
  type SessionPolicy,
  type SessionTimestamps,
} from "./sessions.ts";
export { getResetTokenExpiresAt, PASSWORD_RESET_TOKEN_TTL_MS } from "./tokens.ts";
export { containsNul, exceedsCodePoints } from "./unicode.ts";

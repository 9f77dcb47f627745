import { PASSWORD_TOO_LONG_MESSAGE } from "../password-length.ts";

/**
 * Thrown by `hashPassword` for a password longer than `PASSWORD_MAX_LENGTH`, before any hashing
 * work. `code` is stable for callers that map errors to responses.
 */
export class PasswordTooLongError extends Error {
  /** Stable machine-readable code. */
  readonly code = "password_too_long";

  constructor() {
    super(PASSWORD_TOO_LONG_MESSAGE);
    this.name = "PasswordTooLongError";
  }
}

/**
 * Thrown when the hasher configuration is unusable: an unknown or repeated name in
 * `PASSWORD_HASHERS`, a verify-only hasher first, an out-of-range work factor, or a request
 * to hash with a hasher that is not configured. The message is one line naming the problem.
 */
export class PasswordHasherConfigError extends Error {
  /** Stable machine-readable code. */
  readonly code = "password_hasher_config";

  constructor(message: string) {
    super(message);
    this.name = "PasswordHasherConfigError";
  }
}

// The server entry: everything in the browser-safe entry, plus password hashing (node:crypto and
// native hashers) and the generation of session and reset tokens.
export * from "./index.ts";
export {
  createPasswordHasher,
  dummyVerify,
  hashPassword,
  needsRehash,
  verifyPassword,
  type HasherCallKind,
  type HashPasswordOptions,
  type PasswordHasher,
  type PasswordHasherOptions,
  type VerifyPasswordResult,
} from "./hashers/index.ts";
export { PasswordHasherConfigError, PasswordTooLongError } from "./hashers/errors.ts";
export {
  DEFAULT_PASSWORD_HASHERS,
  HASHING_PASSWORD_HASHER_NAMES,
  isPasswordHasherName,
  PASSWORD_HASHER_NAMES,
  parsePasswordHashers,
  type HashingPasswordHasherName,
  type PasswordHasherName,
} from "./hashers/names.ts";
export {
  DEFAULT_PASSWORD_HASHER_PARAMS,
  INSECURE_TEST_PASSWORD_HASHER_PARAMS,
  PASSWORD_HASHER_LIMITS,
  type Argon2Params,
  type BcryptParams,
  type PasswordHasherParams,
  type PasswordHasherParamsInput,
  type Pbkdf2Params,
  type ScryptParams,
} from "./hashers/params.ts";
export { identifyHasher } from "./hashers/identify.ts";
export { isPasswordUsable, makeUnusablePassword } from "./hashers/unusable.ts";
export { constantTimeEqual, generateRandomId } from "./crypto.ts";
// The server's token functions: the browser-safe ones' formats, with Node's CSPRNG and OpenSSL's SHA-256.
export {
  generateToken as generateResetToken,
  generateToken as generateSessionToken,
  hashSecret,
  verifyTokenSecret,
} from "./server-crypto.ts";
export { parseSessionToken } from "./sessions.ts";
export { parseResetToken, type GeneratedToken, type ParsedToken } from "./tokens.ts";

import type { PasswordHasherName } from "./names.ts";

/** A stored hash that one hasher has parsed and found well-formed and within its limits. */
export interface ParsedHash {
  /** Checks `password` against the hash, comparing in constant time. */
  verify(password: string): Promise<boolean>;
  /** Whether the hash is weaker than the hasher's current parameters (Django's `must_update`). */
  readonly isWeaker: boolean;
  /**
   * After a failed verification of a weaker hash, spends the work the current parameters would
   * have cost on top (Django's `harden_runtime`). Absent where the cost does not split into extra
   * rounds (argon2, scrypt, the legacy digests): the preferred hasher's dummy pads those instead.
   */
  readonly hardenRuntime?: (password: string) => Promise<void>;
}

/** One algorithm, bound to its current parameters. */
export interface HasherImplementation {
  readonly algorithm: PasswordHasherName;
  /** Makes a new encoded hash; absent for verify-only hashers. */
  readonly encode?: (password: string, salt?: string) => Promise<string>;
  /** Parses an encoded hash of this algorithm, or returns `null` when it is malformed or unsafe. */
  parse(encoded: string): ParsedHash | null;
}

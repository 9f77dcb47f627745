import { readFileSync } from "node:fs";
import { createPasswordHasher, type HasherCallKind, type PasswordHasher, type PasswordHasherOptions } from "./index.ts";
import { PASSWORD_HASHER_NAMES, type PasswordHasherName } from "./names.ts";
import { INSECURE_TEST_PASSWORD_HASHER_PARAMS } from "./params.ts";

/** A recorded `onHasherCall`. */
export interface HasherCall {
  readonly algorithm: PasswordHasherName;
  readonly kind: HasherCallKind;
}

/** A hasher with every algorithm, cheap parameters, and a log of its expensive calls. */
export function createRecordingHasher(options: PasswordHasherOptions = {}): {
  hasher: PasswordHasher;
  calls: HasherCall[];
} {
  const calls: HasherCall[] = [];
  const hasher = createPasswordHasher({
    hashers: [...PASSWORD_HASHER_NAMES],
    params: INSECURE_TEST_PASSWORD_HASHER_PARAMS,
    onHasherCall: (algorithm, kind) => calls.push({ algorithm, kind }),
    ...options,
  });
  return { hasher, calls };
}

/** One hash from a vector file, with a password that matches and one that does not. */
export interface HashVector {
  readonly algorithm: PasswordHasherName;
  readonly password: string;
  readonly wrongPassword: string;
  readonly encoded: string;
  readonly note: string;
}

/** A committed vector file under test/vectors/. */
export interface VectorFile {
  readonly vectors: readonly HashVector[];
  readonly unusable?: readonly string[];
  readonly versions?: Readonly<Record<string, string>>;
  readonly verifiedBy?: Readonly<Record<string, string>>;
}

/** Reads `test/vectors/<name>`. */
export function readVectors(name: string): VectorFile {
  return JSON.parse(readFileSync(new URL(`../../test/vectors/${name}`, import.meta.url), "utf8")) as VectorFile;
}

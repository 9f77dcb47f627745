let commonPasswords: Promise<ReadonlySet<string>> | undefined;

/**
 * Django's list of common passwords (lower-cased, deduplicated) as a set. The list is a large
 * module, so it is imported on first use: the browser bundle fetches it only when a password
 * is actually validated.
 */
export function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  commonPasswords ??= import("./data/common-passwords.ts").then(
    ({ COMMON_PASSWORDS }) => new Set(COMMON_PASSWORDS),
    (error: unknown) => {
      // Let a later call retry (for example after a failed chunk download in the browser).
      commonPasswords = undefined;
      throw error;
    },
  );
  return commonPasswords;
}

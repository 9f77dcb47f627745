import { createHash } from "node:crypto";
import { encodedHashesEqual } from "./compare.ts";
import { isTextSaltWeak } from "./salt.ts";
import type { HasherImplementation, ParsedHash } from "./types.ts";

type LegacyAlgorithm = "md5" | "sha1" | "unsalted_md5" | "unsalted_sha1";

// These single digests take microseconds, so they run inline: node:crypto has no async digest
// and the thread pool hop would cost more than the work.
function hexDigest(digest: "md5" | "sha1", text: string): string {
  return createHash(digest).update(text, "utf8").digest("hex");
}

const PATTERNS: Readonly<Record<LegacyAlgorithm, RegExp>> = {
  md5: /^md5\$([^$]+)\$([0-9a-f]{32})$/,
  sha1: /^sha1\$([^$]+)\$([0-9a-f]{40})$/,
  unsalted_md5: /^(?:md5\$\$)?([0-9a-f]{32})$/,
  unsalted_sha1: /^sha1\$\$([0-9a-f]{40})$/,
};

function reencode(algorithm: LegacyAlgorithm, encoded: string, password: string, salt: string): string {
  switch (algorithm) {
    case "md5":
      return `md5$${salt}$${hexDigest("md5", salt + password)}`;
    case "sha1":
      return `sha1$${salt}$${hexDigest("sha1", salt + password)}`;
    case "unsalted_md5":
      // Django accepts the digest bare or behind "md5$$", and compares in the stored form.
      return (encoded.startsWith("md5$$") ? "md5$$" : "") + hexDigest("md5", password);
    case "unsalted_sha1":
      return `sha1$$${hexDigest("sha1", password)}`;
  }
}

/**
 * Django's legacy `MD5PasswordHasher` (`md5$<salt>$<hex>`), `SHA1PasswordHasher`
 * (`sha1$<salt>$<hex>`), `UnsaltedMD5PasswordHasher` (bare 32-hex or `md5$$<hex>`) and
 * `UnsaltedSHA1PasswordHasher` (`sha1$$<hex>`). Verify-only: they exist so that users imported
 * from old Django databases can log in once and be rehashed.
 */
export function createLegacyDigestHasher(algorithm: LegacyAlgorithm): HasherImplementation {
  return {
    algorithm,
    parse(encoded): ParsedHash | null {
      const match = PATTERNS[algorithm].exec(encoded);
      if (!match) return null;
      const salt = algorithm === "md5" || algorithm === "sha1" ? (match[1] ?? "") : "";
      return {
        isWeaker: salt === "" || isTextSaltWeak(salt),
        verify: (password) =>
          Promise.resolve(encodedHashesEqual(encoded, reencode(algorithm, encoded, password, salt))),
      };
    },
  };
}

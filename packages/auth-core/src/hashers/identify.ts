import { isPasswordHasherName, type PasswordHasherName } from "./names.ts";

/**
 * The longest encoded hash looked at. Django's column holds 128 characters; anything much longer
 * is not a hash and is not parsed.
 */
export const ENCODED_HASH_MAX_LENGTH = 512;

/**
 * Django's `identify_hasher`: the algorithm an encoded hash names, or `null`. Ancient Django
 * stored bare 32-hex MD5 digests and accepted `md5$$<hex>` and `sha1$$<hex>` without a salt.
 */
export function identifyHasher(encoded: string): PasswordHasherName | null {
  if (encoded.length === 0 || encoded.length > ENCODED_HASH_MAX_LENGTH) return null;
  if ((encoded.length === 32 && !encoded.includes("$")) || (encoded.length === 37 && encoded.startsWith("md5$$"))) {
    return "unsalted_md5";
  }
  if (encoded.length === 46 && encoded.startsWith("sha1$$")) return "unsalted_sha1";
  const dollar = encoded.indexOf("$");
  if (dollar === -1) return null;
  const algorithm = encoded.slice(0, dollar);
  return isPasswordHasherName(algorithm) ? algorithm : null;
}

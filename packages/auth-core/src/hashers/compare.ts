import { timingSafeEqual } from "node:crypto";

/**
 * Compares two encoded hashes in constant time, as Django's `constant_time_compare` does. The
 * lengths are public (they follow from the algorithm), so unequal lengths return at once.
 */
export function encodedHashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Python's `difflib.SequenceMatcher(a=a, b=b).quick_ratio()` over code points: an upper bound on
 * `ratio()` computed from the multiset of shared characters, `2 * matches / (len(a) + len(b))`.
 * Django's similarity validator uses exactly this bound.
 */
export function quickRatio(a: string, b: string): number {
  const aChars = Array.from(a);
  const bChars = Array.from(b);
  const available = new Map<string, number>();
  for (const char of bChars) available.set(char, (available.get(char) ?? 0) + 1);
  let matches = 0;
  for (const char of aChars) {
    const count = available.get(char) ?? 0;
    if (count > 0) {
      matches++;
      available.set(char, count - 1);
    }
  }
  const total = aChars.length + bChars.length;
  return total === 0 ? 1 : (2 * matches) / total;
}

/**
 * Django's `exceeds_maximum_length_ratio` (the CVE-2021-45115 fix): when the password is ten
 * times longer than the value and the value is below the similarity bound, `quick_ratio` cannot
 * reach `maxSimilarity`, so the comparison is skipped. Lengths are in code points.
 */
export function exceedsMaximumLengthRatio(passwordLength: number, maxSimilarity: number, valueLength: number): boolean {
  const lengthBoundSimilarity = (maxSimilarity / 2) * passwordLength;
  return passwordLength >= 10 * valueLength && valueLength < lengthBoundSimilarity;
}

// Everything here must stay cheap on untrusted input of any size: callers check a length bound
// with exceedsCodePoints before anything normalises.

/**
 * Counts the Unicode code points of `value`, as Python's `len()` does, so that limits and
 * messages match Django's.
 */
export function codePointLength(value: string): number {
  let length = 0;
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index);
    // A high surrogate followed by a low surrogate is one code point; a lone one counts alone.
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < value.length) {
      const next = value.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    length++;
  }
  return length;
}

/**
 * Whether `value` has more than `max` code points. Answers from the UTF-16 length alone when
 * it can, so a megabyte of input is not walked just to be refused.
 */
export function exceedsCodePoints(value: string, max: number): boolean {
  if (value.length <= max) return false;
  if (value.length > max * 2) return true;
  return codePointLength(value) > max;
}

/** Whether `value` contains a NUL character, which PostgreSQL `text` columns reject. */
export function containsNul(value: string): boolean {
  return value.includes("\u0000");
}

/** Upper- then lower-casing, until nothing changes: one pass turns `ẞ` into `ß`, the next into `ss`. */
function foldRun(run: string): string {
  let folded = run;
  for (let pass = 0; pass < 4; pass += 1) {
    const next = folded.toUpperCase().toLowerCase();
    if (next === folded) break;
    folded = next;
  }
  return folded;
}

/**
 * An approximation of Python's `str.casefold()`. Upper-casing first folds `ß` (and `ẞ`) to `ss`,
 * the final sigma to `σ` and ligatures to their letters; the result is stable under a second pass,
 * which is what a unique comparison key needs.
 */
export function caseFold(value: string): string {
  // The dotless ı upper-cases to the ASCII I, which would fold it into i; Python keeps it apart
  // (CVE-2019-19844: `mıke@example.org` must not match `mike@example.org`).
  return value.replace(/[^\u0131]+/gu, foldRun);
}

/**
 * The canonical caseless form of an identifier: NFKC, case-folded, NFKC again (Unicode's
 * "compatibility caseless matching"), so `ａｄｍｉｎ`, `Admin` and `ADMIN` share one key.
 */
export function caselessKey(value: string): string {
  return caseFold(value.normalize("NFKC")).normalize("NFKC");
}

// Python's str.isdigit() accepts decimal digits (Nd) and the "digit" numerics that are category No
// (superscripts, circled and parenthesised digits...). These ranges are the No code points for which
// Python 3.11 (Unicode 14) says isdigit(): chr(c).isdigit() and unicodedata.category(chr(c)) == "No".
const PYTHON_DIGITS =
  /^[\p{Nd}\u{b2}-\u{b3}\u{b9}\u{1369}-\u{1371}\u{19da}\u{2070}\u{2074}-\u{2079}\u{2080}-\u{2089}\u{2460}-\u{2468}\u{2474}-\u{247c}\u{2488}-\u{2490}\u{24ea}\u{24f5}-\u{24fd}\u{24ff}\u{2776}-\u{277e}\u{2780}-\u{2788}\u{278a}-\u{2792}\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]+$/u;

/** Python's `str.isdigit()`: non-empty and made only of digits, in any script. */
export function isDigitString(value: string): boolean {
  return PYTHON_DIGITS.test(value);
}

// Python's str.isspace() characters (Unicode 14). JavaScript's trim() differs: it also strips U+FEFF,
// and keeps U+001C–U+001F and U+0085.
const PYTHON_SPACE =
  "\\t\\n\\v\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PYTHON_STRIPPED = new RegExp(`^[${PYTHON_SPACE}]+|[${PYTHON_SPACE}]+$`, "gu");

/** Python's `str.strip()` without arguments, which Django's forms and validators use. */
export function pythonStrip(value: string): string {
  return value.replace(PYTHON_STRIPPED, "");
}

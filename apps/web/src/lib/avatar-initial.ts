import { displayName, type AuthenticatedUser } from "./current-user.ts";

// A grapheme made only of these draws nothing: bidi controls (U+202E reverses the text after it),
// zero-width and other format characters, control characters and spaces.
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{White_Space}]*$/u;

function graphemes(text: string): Iterable<string> {
  // Older browsers without Intl.Segmenter fall back to code points: a flag or an accented letter
  // typed as two code points then shows its first half, as before.
  if (typeof Intl.Segmenter !== "function") return Array.from(text);
  return Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text), (part) => part.segment);
}

/**
 * The first character of `text` that a reader sees, as a whole grapheme (an emoji sequence or a
 * letter with its accents), or `null` when nothing in it is visible.
 */
export function firstVisibleGrapheme(text: string): string | null {
  for (const grapheme of graphemes(text)) {
    if (!INVISIBLE.test(grapheme)) return grapheme;
  }
  return null;
}

/**
 * The letter in a user's round avatar: the first visible one of the name they are greeted by, else
 * of the username (Django's usernames are always visible characters).
 */
export function avatarInitial(user: Pick<AuthenticatedUser, "firstName" | "lastName" | "username">): string {
  return firstVisibleGrapheme(displayName(user)) ?? firstVisibleGrapheme(user.username) ?? "";
}

// Scripts a username is most likely to be written in. A letter from a script missing here counts
// as "other"; that keeps the check cheap and still catches the classic Latin/Cyrillic/Greek spoofs.
const SCRIPTS = [
  "Latin",
  "Greek",
  "Cyrillic",
  "Armenian",
  "Georgian",
  "Hebrew",
  "Arabic",
  "Syriac",
  "Thaana",
  "Devanagari",
  "Bengali",
  "Gurmukhi",
  "Gujarati",
  "Oriya",
  "Tamil",
  "Telugu",
  "Kannada",
  "Malayalam",
  "Sinhala",
  "Thai",
  "Lao",
  "Tibetan",
  "Myanmar",
  "Khmer",
  "Mongolian",
  "Ethiopic",
  "Cherokee",
  "Hangul",
  "Hiragana",
  "Katakana",
  "Bopomofo",
  "Han",
] as const;

type Script = (typeof SCRIPTS)[number] | "other";

const SCRIPT_PATTERNS: readonly (readonly [Script, RegExp])[] = SCRIPTS.map(
  (script) => [script, new RegExp(`^\\p{Script=${script}}$`, "u")] as const,
);
const SCRIPT_NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

// UTS #39 "highly restrictive": one script, or Latin combined with one of the East Asian
// writing systems that are normally mixed with it.
const ALLOWED_COMBINATIONS: readonly ReadonlySet<Script>[] = [
  new Set<Script>(["Latin", "Han", "Hiragana", "Katakana"]),
  new Set<Script>(["Latin", "Han", "Bopomofo"]),
  new Set<Script>(["Latin", "Han", "Hangul"]),
];

function scriptOf(char: string): Script | null {
  if (SCRIPT_NEUTRAL.test(char)) return null;
  for (const [script, pattern] of SCRIPT_PATTERNS) {
    if (pattern.test(char)) return script;
  }
  return "other";
}

/**
 * Whether `value` mixes letters of scripts that UTS #39's "highly restrictive" profile keeps
 * apart, such as a Cyrillic `а` inside `admin`. Digits and punctuation are neutral.
 */
export function hasMixedScripts(value: string): boolean {
  const scripts = new Set<Script>();
  for (const char of value) {
    const script = scriptOf(char);
    if (script !== null) scripts.add(script);
  }
  if (scripts.size <= 1) return false;
  return !ALLOWED_COMBINATIONS.some((allowed) => [...scripts].every((script) => allowed.has(script)));
}

import { maxLengthMessage, NULL_CHARACTERS_MESSAGE, REQUIRED_MESSAGE } from "./field-messages.ts";
import { caselessKey, codePointLength, containsNul, exceedsCodePoints, pythonStrip } from "./unicode.ts";

/** Django's `EmailField` `max_length` (RFC 5321's path limit), in code points. */
export const EMAIL_MAX_LENGTH = 254;

/** Django's `EmailValidator` message. */
export const EMAIL_INVALID_MESSAGE = "Enter a valid email address.";

// Django's EmailValidator patterns: a dot-atom or quoted-string local part, a domain of labels
// (at most 63 characters each), an alphanumeric TLD, or an address literal.
// Python's case-insensitive matching lets those ASCII letter ranges also match the four letters whose
// case partner is ASCII (İ ı ſ K, \u0130 \u0131 \u017f \u212a); JavaScript's does not, so they are listed:
// Django accepts `mıke@example.org` (its CVE-2019-19844 tests ask a password reset for it).
const USER_PATTERN =
  // eslint-disable-next-line no-control-regex -- RFC 5322 quoted strings may hold control characters; Django allows them too.
  /^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z\u0130\u0131\u017f\u212a]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z\u0130\u0131\u017f\u212a]+)*|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-[\]-\x7f\u0130\u0131\u017f\u212a]|\\[\x01-\x09\x0b\x0c\x0e-\x7f\u0130\u0131\u017f\u212a])*")$/i;
const DOMAIN_PATTERN = /^(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}(?<!-)$/i;
const LITERAL_PATTERN = /^\[([A-F0-9:.]+)\]$/i;
const IPV4_PATTERN =
  /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;
const IDN_CANDIDATE = /^[\p{L}\p{M}\p{N}.-]+$/u;
const DOMAIN_ALLOWLIST: ReadonlySet<string> = new Set(["localhost"]);

function isIpv6(address: string): boolean {
  if (!address.includes(":")) return false;
  try {
    // The WHATWG URL parser implements the full IPv6 grammar and exists in browsers and Node.
    new URL(`http://[${address}]/`);
    return true;
  } catch {
    return false;
  }
}

function toAsciiDomain(domain: string): string | null {
  if (!IDN_CANDIDATE.test(domain)) return null;
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
}

function isValidDomain(domain: string): boolean {
  if (DOMAIN_ALLOWLIST.has(domain) || DOMAIN_PATTERN.test(domain)) return true;
  const literal = LITERAL_PATTERN.exec(domain);
  if (literal?.[1] !== undefined) return IPV4_PATTERN.test(literal[1]) || isIpv6(literal[1]);
  // Like Django, an internationalised domain is valid when its punycode form is.
  const ascii = toAsciiDomain(domain);
  return ascii !== null && DOMAIN_PATTERN.test(ascii);
}

/**
 * Django's `BaseUserManager.normalize_email`: surrounding whitespace removed and the domain
 * lower-cased; the local part keeps its case, as mailbox names may be case-sensitive. (Django
 * leaves a value without `@` untrimmed; tsbin trims it too.)
 */
export function normalizeEmail(raw: string): string {
  const email = pythonStrip(raw);
  const at = email.lastIndexOf("@");
  if (at === -1) return email;
  return email.slice(0, at) + "@" + email.slice(at + 1).toLowerCase();
}

/**
 * The case-insensitive comparison key of an email address (normalised, then NFKC, case-folded,
 * NFKC), which the database stores and indexes uniquely. Values longer than `EMAIL_MAX_LENGTH`
 * code points are returned unchanged, as no normalisation runs on over-long input.
 */
export function emailKey(raw: string): string {
  if (exceedsCodePoints(raw, EMAIL_MAX_LENGTH)) return raw;
  return caselessKey(normalizeEmail(raw));
}

/**
 * Validates an email address as submitted and returns Django's error messages (empty when
 * valid). The checks apply to `normalizeEmail(raw)`. An empty value is reported as required;
 * skip the call where the address is optional.
 */
export function validateEmail(raw: string): string[] {
  if (containsNul(raw)) return [NULL_CHARACTERS_MESSAGE];
  if (exceedsCodePoints(raw, EMAIL_MAX_LENGTH)) return [maxLengthMessage(EMAIL_MAX_LENGTH, codePointLength(raw))];
  const email = normalizeEmail(raw);
  if (email.length === 0) return [REQUIRED_MESSAGE];
  const at = email.lastIndexOf("@");
  if (at === -1) return [EMAIL_INVALID_MESSAGE];
  const user = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!USER_PATTERN.test(user) || !isValidDomain(domain)) return [EMAIL_INVALID_MESSAGE];
  return [];
}

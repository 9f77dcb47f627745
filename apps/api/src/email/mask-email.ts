const HIDDEN = "***";

/** The first character (code point) of `part` followed by `***`, or `***` alone when it is empty. */
function maskPart(part: string): string {
  const [first = ""] = Array.from(part);
  return `${first}${HIDDEN}`;
}

/**
 * An email address with all but its first letters hidden, for a notice sent to someone who may not
 * own it: `alice@example.com` → `a***@e***.com`. The owner recognises the address; a stranger reading
 * the notice learns no more than two letters and the top-level domain. Every hidden run is `***`,
 * whatever its length, so the length is not told either. A quoted local part's opening quote is not
 * a letter worth showing and is skipped; a domain given as an address literal (`[192.0.2.1]`) is
 * hidden whole. Anything that is not an address at all becomes `***`.
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) return HIDDEN;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const maskedLocal = maskPart(local.startsWith('"') ? local.slice(1) : local);
  if (domain.startsWith("[")) return `${maskedLocal}@[${HIDDEN}]`;
  const dot = domain.lastIndexOf(".");
  // No dot, or nothing before or after it: no top-level domain worth keeping.
  if (dot <= 0 || dot === domain.length - 1) return `${maskedLocal}@${maskPart(domain)}`;
  return `${maskedLocal}@${maskPart(domain.slice(0, dot))}${domain.slice(dot)}`;
}

/** Where a user goes after logging in when `next` is missing or refused. */
export const DEFAULT_NEXT = "/";

// Longer values are not links a person followed; refusing them also bounds the work below.
const MAX_NEXT_LENGTH = 2048;

function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * The `next` value of a login link as a path on this site, or `null` when it is anything else.
 *
 * Django's `url_has_allowed_host_and_scheme`, narrowed to the only thing the SPA redirects to: a
 * path starting with a single `/`. Refused: other hosts and schemes (`https://x`, `javascript:`,
 * `http:999`), scheme-relative and backslash forms that browsers read as another host (`//x`,
 * `/\x`, `\\x`), and control characters (the URL parser silently drops tabs and newlines, which
 * would turn `/\t/x` into `//x`). Whatever passes is parsed against `origin` once more and must
 * still be on it.
 */
export function safeNextPath(value: unknown, origin: string): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_NEXT_LENGTH) return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  if (value.includes("\\") || hasControlCharacter(value)) return null;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return null;
  }
  if (url.origin !== new URL(origin).origin) return null;
  // Dot segments are resolved by the parse: `/..//x` and `/%2e//x` become `//x`, another host.
  if (url.pathname.startsWith("//")) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** {@link safeNextPath}, falling back to {@link DEFAULT_NEXT}. */
export function nextPathOrDefault(value: unknown, origin: string): string {
  return safeNextPath(value, origin) ?? DEFAULT_NEXT;
}

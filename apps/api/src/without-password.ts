/**
 * A configuration value as an error may repeat it: the password of a URL-ish value
 * (`scheme://user:password@host`, or `user:password@host`) replaced by `***`. Parsed by hand, not
 * with `URL`, because the values shown are the ones `URL` or its checks refused.
 */
export function withoutPassword(value: string): string {
  const scheme = value.indexOf("://");
  const start = scheme === -1 ? 0 : scheme + 3;
  // The last "@" ends the user information: a password may itself hold "@" or "/".
  const at = value.lastIndexOf("@");
  if (at < start) return value;
  const colon = value.indexOf(":", start);
  if (colon === -1 || colon > at) return value;
  return `${value.slice(0, colon + 1)}***${value.slice(at)}`;
}

/** Where the reset page lives once the token has been taken out of the address (Django's `set-password`). */
export const RESET_PASSWORD_SET_PATH = "/reset-password/set";

const STORAGE_KEY = "tsbin.resetToken";
const RESET_PATH = /^\/reset-password\/([^/]+)\/?$/u;

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape cannot be a token we issued; keep it as typed and let the API refuse it.
    return segment;
  }
}

/**
 * Moves a password-reset token from the address bar into this tab's session storage and replaces
 * the address with {@link RESET_PASSWORD_SET_PATH}, so the token is not kept in history, shown on
 * screen, or sent in a `Referer`. Runs before the router starts; returns whether a token was taken.
 */
export function captureResetToken(location: Location, history: History, storage: Storage): boolean {
  const match = RESET_PATH.exec(location.pathname);
  const token = match?.[1];
  if (token === undefined || `/reset-password/${token}` === RESET_PASSWORD_SET_PATH) return false;
  rememberResetToken(storage, safeDecode(token));
  history.replaceState(history.state, "", RESET_PASSWORD_SET_PATH);
  return true;
}

/** Keeps a reset token for this tab only; it goes when the tab closes. */
export function rememberResetToken(storage: Storage, token: string): void {
  storage.setItem(STORAGE_KEY, token);
}

/** The token captured by {@link captureResetToken}, or `null`. */
export function readResetToken(storage: Storage): string | null {
  return storage.getItem(STORAGE_KEY);
}

/** Forgets the token once it has been used (or found invalid). */
export function forgetResetToken(storage: Storage): void {
  storage.removeItem(STORAGE_KEY);
}

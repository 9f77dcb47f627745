import type { QueryClient } from "@tanstack/react-query";
import type { CurrentUser } from "./current-user.ts";

/** Who a page shows: a user's id, or `null` for the anonymous user. */
export type Identity = CurrentUser["id"];

/** A change of user that this tab did not make itself. */
export interface IdentityChange {
  from: Identity;
  to: CurrentUser;
  /**
   * The last user this tab showed logged in before `to`, or `null` if none: after a logout `from`
   * is the anonymous user, and this still says whether `to` is the same person logging in again.
   */
  lastLoggedIn: Identity;
}

/** The part of a `BroadcastChannel` the watch uses (tabs of one browser share its cookie). */
export interface TabChannel {
  postMessage: (message: unknown) => void;
  addEventListener: (type: "message", listener: (event: MessageEvent) => void) => void;
  removeEventListener: (type: "message", listener: (event: MessageEvent) => void) => void;
}

export interface IdentityWatch {
  queryClient: QueryClient;
  /** The hash of `auth.me`'s query key. */
  meQueryHash: string;
  /** Whether this tab is changing the user itself (a login, a logout): those flows move on by themselves. */
  isOwnChange: () => boolean;
  /** The other tabs of this browser, or `null` where there is no `BroadcastChannel`. */
  channel: TabChannel | null;
  /** Asks the server again who is logged in (updating `auth.me`'s cache). */
  recheck: () => void;
  /** Someone else is logged in now, or nobody, and this tab found out in the background. */
  onChange: (change: IdentityChange) => void;
}

interface IdentityMessage {
  type: "identity";
  identity: Identity;
}

function isIdentityMessage(value: unknown): value is IdentityMessage {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "identity";
}

function isCurrentUser(value: unknown): value is CurrentUser {
  return typeof value === "object" && value !== null && "isAuthenticated" in value && "id" in value;
}

/**
 * Keeps a tab from acting for the wrong user. Tabs of one browser share its session cookie, so a
 * login or logout in one changes who every other tab's requests act for, while those tabs still
 * show the previous user (a form saved there would change the new user's account). Each tab tells
 * the others when its user changes; a tab told so asks the server (the message is only a hint), and
 * any answer of `auth.me` naming someone else than the page shows, whatever asked for it, goes to
 * `onChange`. Returns a function that stops watching.
 */
export function watchIdentity(watch: IdentityWatch): () => void {
  const { queryClient, meQueryHash, channel } = watch;
  const cached: unknown = queryClient.getQueryCache().get(meQueryHash)?.state.data;
  let shown: Identity | undefined = isCurrentUser(cached) ? cached.id : undefined;
  let lastLoggedIn: Identity = shown ?? null;

  const stopCache = queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== "updated" || event.action.type !== "success") return;
    if (event.query.queryHash !== meQueryHash) return;
    const user: unknown = event.query.state.data;
    if (!isCurrentUser(user) || user.id === shown) return;
    const from = shown;
    const before = lastLoggedIn;
    shown = user.id;
    if (user.id !== null) lastLoggedIn = user.id;
    channel?.postMessage({ type: "identity", identity: user.id } satisfies IdentityMessage);
    if (from !== undefined && !watch.isOwnChange()) watch.onChange({ from, to: user, lastLoggedIn: before });
  });

  const onMessage = (event: MessageEvent): void => {
    if (isIdentityMessage(event.data) && event.data.identity !== shown) watch.recheck();
  };
  channel?.addEventListener("message", onMessage);

  return () => {
    stopCache();
    channel?.removeEventListener("message", onMessage);
  };
}

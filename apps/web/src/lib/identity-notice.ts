import { useSyncExternalStore, type ReactNode } from "react";

/** What the page frame shows after the user changed behind a tab's back. */
export interface IdentityNotice {
  /** Changes with every such change; the page below the header is rebuilt when it does. */
  generation: number;
  /** `null` when there is nothing to say. */
  message: ReactNode;
}

let notice: IdentityNotice = { generation: 0, message: null };
const listeners = new Set<() => void>();

function publish(next: IdentityNotice): void {
  notice = next;
  for (const listener of listeners) listener();
}

/** Shows `message` and rebuilds the page, so no form keeps the previous user's values. */
export function announceIdentityChange(message: ReactNode): void {
  publish({ generation: notice.generation + 1, message });
}

/** Hides the message (dismissed, or the user logged in or out in this tab). */
export function dismissIdentityNotice(): void {
  if (notice.message !== null) publish({ ...notice, message: null });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useIdentityNotice(): IdentityNotice {
  return useSyncExternalStore(subscribe, () => notice);
}

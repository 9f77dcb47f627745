import type { User } from "@tsbin/auth-core";
import { authEvents, sql, type Database } from "@tsbin/db";
import { prepared } from "./prepared.ts";

/** Who sent the request that fired a hook, for the audit log. */
export interface RequestMeta {
  ipAddress: string;
  userAgent: string;
}

/** How a password came to change. */
export type PasswordChangeVia = "change" | "reset" | "admin" | "cli";

/** Django's auth signals, with what each carries. */
export interface HookPayloads {
  /** Fired inside the transaction that inserts the user: `db` is that transaction. */
  userCreated: { user: User };
  userLoggedIn: { user: User };
  userLoggedOut: { user: User };
  /** `username` is what was typed, which may name no account. */
  userLoginFailed: { username: string };
  passwordChanged: { user: User; via: PasswordChangeVia };
}

export type HookName = keyof HookPayloads;

/** What a receiver gets: the payload, the request's metadata and the database (or transaction). */
export type HookEvent<K extends HookName> = HookPayloads[K] & { meta: RequestMeta; db: Database };

export type HookReceiver<K extends HookName> = (event: HookEvent<K>) => Promise<void> | void;

const AUDIT_USERNAME_MAX = 150;

/**
 * A small typed signal registry. Every emitted event is written to `auth_events` first (never a
 * password or token: the payloads carry none), then receivers run in registration order; a
 * receiver's error propagates, so a failing `userCreated` receiver rolls the new user back.
 */
export class Hooks {
  readonly #receivers = new Map<HookName, HookReceiver<HookName>[]>();

  on<K extends HookName>(name: K, receiver: HookReceiver<K>): () => void {
    const list = this.#receivers.get(name) ?? [];
    list.push(receiver as HookReceiver<HookName>);
    this.#receivers.set(name, list);
    return () => {
      const index = list.indexOf(receiver as HookReceiver<HookName>);
      if (index >= 0) list.splice(index, 1);
    };
  }

  /** Writes the event's audit row, then runs the receivers. */
  async emit<K extends HookName>(name: K, event: HookEvent<K>): Promise<void> {
    const row = auditRow(name, event);
    await prepared(event.db, "insertAuthEvent", (db) =>
      db
        .insert(authEvents)
        .values({
          type: sql.placeholder("type"),
          userId: sql.placeholder("userId"),
          username: sql.placeholder("username"),
          ipAddress: sql.placeholder("ipAddress"),
          userAgent: sql.placeholder("userAgent"),
          detail: sql.placeholder("detail"),
        })
        .prepare("tsbin_insert_auth_event"),
    ).execute(row);
    await this.notify(name, event);
  }

  /** Runs the receivers only, for a caller that wrote the {@link auditRow} itself (with other writes). */
  async notify<K extends HookName>(name: K, event: HookEvent<K>): Promise<void> {
    for (const receiver of this.#receivers.get(name) ?? []) await receiver(event);
  }
}

/** The `auth_events` row an event is recorded as: who, from where, never a password or token. */
export type AuditRow = {
  type: HookName;
  userId: number | null;
  username: string;
  ipAddress: string;
  userAgent: string;
  detail: string;
};

export function auditRow<K extends HookName>(name: K, event: HookEvent<K>): AuditRow {
  const user: User | undefined = "user" in event ? event.user : undefined;
  const typed = "username" in event ? String(event.username) : "";
  return {
    type: name,
    userId: user?.id ?? null,
    username: (user?.username ?? typed).slice(0, AUDIT_USERNAME_MAX),
    ipAddress: event.meta.ipAddress,
    userAgent: event.meta.userAgent.slice(0, 512),
    detail: name === "passwordChanged" ? (event as HookEvent<"passwordChanged">).via : "",
  };
}

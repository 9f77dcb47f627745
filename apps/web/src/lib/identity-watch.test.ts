import { hashKey, QueryClient } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import { ANONYMOUS_USER, type AuthenticatedUser, type CurrentUser } from "./current-user.ts";
import { watchIdentity, type IdentityChange, type TabChannel } from "./identity-watch.ts";

const ME_KEY = [["auth", "me"], { type: "query" }];

function user(id: number, username: string): AuthenticatedUser {
  return {
    isAuthenticated: true,
    isAnonymous: false,
    id,
    username,
    email: `${username}@example.com`,
    firstName: "",
    lastName: "",
    isActive: true,
    isStaff: false,
    isSuperuser: false,
    dateJoined: new Date("2025-01-01T00:00:00Z"),
    lastLogin: null,
  };
}

/** A channel whose messages the test delivers by hand, as another tab would. */
function fakeChannel(): TabChannel & { sent: unknown[]; deliver: (data: unknown) => void } {
  const listeners = new Set<(event: MessageEvent) => void>();
  return {
    sent: [],
    postMessage(message) {
      this.sent.push(message);
    },
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
    deliver: (data) => {
      for (const listener of listeners) listener(new MessageEvent("message", { data }));
    },
  };
}

function setUp(own = false) {
  const queryClient = new QueryClient();
  const channel = fakeChannel();
  const changes: IdentityChange[] = [];
  const recheck = vi.fn();
  const stop = watchIdentity({
    queryClient,
    meQueryHash: hashKey(ME_KEY),
    isOwnChange: () => own,
    channel,
    recheck,
    onChange: (change) => changes.push(change),
  });
  const answer = (me: CurrentUser): void => {
    queryClient.setQueryData(ME_KEY, me);
  };
  return { queryClient, channel, changes, recheck, stop, answer };
}

describe("watchIdentity", () => {
  it("reports a different user found by a later answer of auth.me, and tells the other tabs", () => {
    const { channel, changes, answer } = setUp();
    answer(user(1, "alice"));
    expect(changes).toEqual([]);
    answer(user(1, "alice"));
    expect(changes).toEqual([]);
    answer(user(2, "bob"));
    expect(changes).toEqual([{ from: 1, to: user(2, "bob"), lastLoggedIn: 1 }]);
    answer(ANONYMOUS_USER);
    expect(changes.at(-1)).toEqual({ from: 2, to: ANONYMOUS_USER, lastLoggedIn: 2 });
    expect(channel.sent).toEqual([
      { type: "identity", identity: 1 },
      { type: "identity", identity: 2 },
      { type: "identity", identity: null },
    ]);
  });

  it("remembers who was logged in before a logout, so a login as the same user can be told apart", () => {
    const { changes, answer } = setUp();
    answer(user(1, "alice"));
    answer(ANONYMOUS_USER);
    answer(user(1, "alice"));
    expect(changes.at(-1)).toEqual({ from: null, to: user(1, "alice"), lastLoggedIn: 1 });
    answer(ANONYMOUS_USER);
    answer(user(2, "bob"));
    expect(changes.at(-1)).toEqual({ from: null, to: user(2, "bob"), lastLoggedIn: 1 });
  });

  it("names nobody before a tab that opened logged out sees its first login", () => {
    const { changes, answer } = setUp();
    answer(ANONYMOUS_USER);
    answer(user(2, "bob"));
    expect(changes).toEqual([{ from: null, to: user(2, "bob"), lastLoggedIn: null }]);
  });

  it("leaves a change this tab makes itself to its own flow, but still tells the other tabs", () => {
    const { channel, changes, answer } = setUp(true);
    answer(ANONYMOUS_USER);
    answer(user(2, "bob"));
    expect(changes).toEqual([]);
    expect(channel.sent).toEqual([
      { type: "identity", identity: null },
      { type: "identity", identity: 2 },
    ]);
  });

  it("asks the server when another tab names someone else, and only then", () => {
    const { channel, recheck, answer } = setUp();
    answer(user(1, "alice"));
    channel.deliver({ type: "identity", identity: 1 });
    channel.deliver({ type: "something else", identity: 2 });
    expect(recheck).not.toHaveBeenCalled();
    channel.deliver({ type: "identity", identity: 2 });
    expect(recheck).toHaveBeenCalledTimes(1);
  });

  it("stops watching when asked", () => {
    const { channel, changes, recheck, stop, answer } = setUp();
    answer(user(1, "alice"));
    stop();
    answer(user(2, "bob"));
    channel.deliver({ type: "identity", identity: 3 });
    expect(changes).toEqual([]);
    expect(recheck).not.toHaveBeenCalled();
  });
});

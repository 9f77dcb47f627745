import { describe, expect, it } from "vitest";
import { captureResetToken, forgetResetToken, readResetToken, RESET_PASSWORD_SET_PATH } from "./reset-token.ts";

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

function fakeBrowser(pathname: string): { location: Location; history: History; replaced: string[] } {
  const replaced: string[] = [];
  const history = {
    state: null,
    replaceState: (_state: unknown, _unused: string, url?: string | URL | null) => {
      replaced.push(String(url));
    },
  } as unknown as History;
  return { location: { pathname } as Location, history, replaced };
}

describe("captureResetToken", () => {
  it("moves the token from the address into storage and replaces the address", () => {
    const storage = memoryStorage();
    const browser = fakeBrowser("/reset-password/abc.DEF_123");
    expect(captureResetToken(browser.location, browser.history, storage)).toBe(true);
    expect(readResetToken(storage)).toBe("abc.DEF_123");
    expect(browser.replaced).toEqual([RESET_PASSWORD_SET_PATH]);
  });

  it("leaves other pages, and the page without a token, alone", () => {
    for (const pathname of ["/login", "/reset-password/set", "/reset-password/", "/reset-password/a/b"]) {
      const storage = memoryStorage();
      const browser = fakeBrowser(pathname);
      expect(captureResetToken(browser.location, browser.history, storage)).toBe(false);
      expect(readResetToken(storage)).toBeNull();
      expect(browser.replaced).toEqual([]);
    }
  });

  it("keeps a malformed escape as typed, for the API to refuse", () => {
    const storage = memoryStorage();
    const browser = fakeBrowser("/reset-password/%E0%A4%A");
    captureResetToken(browser.location, browser.history, storage);
    expect(readResetToken(storage)).toBe("%E0%A4%A");
  });

  it("forgets the token once used", () => {
    const storage = memoryStorage();
    const browser = fakeBrowser("/reset-password/tok");
    captureResetToken(browser.location, browser.history, storage);
    forgetResetToken(storage);
    expect(readResetToken(storage)).toBeNull();
  });
});

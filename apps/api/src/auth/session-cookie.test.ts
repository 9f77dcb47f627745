import { parse } from "hono/utils/cookie";
import { describe, expect, it } from "vitest";
import { namedCookie } from "./session-cookie.ts";

const TOKEN = "abcdefghijklmnopqrstuvwxyz234567.abcdefghijklmnopqrstuvwxyz234567";

/** What hono's getCookie(c, name) answers for this Cookie header. */
function honoCookie(header: string, name: string): string | undefined {
  return parse(header, name)[name];
}

describe("namedCookie", () => {
  it("reads the session cookie among others", () => {
    expect(namedCookie(`theme=dark; session=${TOKEN}; csrftoken=x`, "session")).toBe(TOKEN);
    expect(namedCookie(`session=${TOKEN}`, "session")).toBe(TOKEN);
    expect(namedCookie(`__Host-session=${TOKEN}`, "__Host-session")).toBe(TOKEN);
  });

  it("answers nothing when the cookie is absent or only a prefix or suffix of another name", () => {
    expect(namedCookie("theme=dark", "session")).toBeUndefined();
    expect(namedCookie(`xsession=${TOKEN}; session_old=1`, "session")).toBeUndefined();
    expect(namedCookie(`__Host-session=${TOKEN}`, "session")).toBeUndefined();
  });

  it("agrees with hono on the cases hono treats specially", () => {
    const headers = [
      `session="${TOKEN}"`,
      "session=%61%62c",
      "session=%E0%A4%A",
      "session=a\\b; session=second",
      'session=a"b; session=second',
      "session=; session=second",
      "session",
      "session=a=b",
      " \tsession\t = \tvalue \t; other=1",
      "\u00a0session=nbsp",
      "session=\u00a0v\u00a0",
      "session=\u00e9",
      "other=session; session=real",
      "other=1;;session=two;",
      "session=first; session=second",
      "session=v\u000b",
      ";;;",
      "=session",
    ];
    for (const header of headers) {
      expect(namedCookie(header, "session"), header).toBe(honoCookie(header, "session"));
    }
  });

  it("agrees with hono on random headers made of cookie syntax", () => {
    const pieces = [
      "session",
      "Session",
      "sess",
      "=",
      ";",
      " ",
      "\t",
      '"',
      "%",
      "%41",
      "\\",
      "a",
      "Z",
      "9",
      ".",
      ",",
      "\u00a0",
      "\u00e9",
      TOKEN,
    ];
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 5000; i++) {
      let header = "";
      const length = 1 + (next() % 12);
      for (let j = 0; j < length; j++) header += pieces[next() % pieces.length];
      expect(namedCookie(header, "session"), JSON.stringify(header)).toBe(honoCookie(header, "session"));
    }
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_NEXT, nextPathOrDefault, safeNextPath } from "./safe-next.ts";

const ORIGIN = "http://127.0.0.1:3100";

describe("safeNextPath", () => {
  // Django's LoginTest.test_security_check list, and the shapes of later CVEs (V9).
  it.each([
    "http://example.com",
    "https://example.com",
    "//example.com",
    "///example.com",
    "http:///example.com",
    "ftp://example.com",
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\\example.com",
    "\\\\example.com",
    "\\/example.com",
    "http:\\\\example.com",
    "https:example.com",
    "http:example.com",
    `${ORIGIN}@evil.example`,
    "http://127.0.0.1:3100@evil.example",
    "%2F%2Fevil.example",
    " //evil.example",
    "\n//evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\u0000/evil.example",
    "/\u007f/evil.example",
    "/\u0085/evil.example",
    "http:999999999",
    "/..//evil.example",
    "/.//evil.example",
    "/%2e//evil.example",
    "/a/../..//evil.example",
    "evil.example",
    "account",
    "",
  ])("refuses %j", (value) => {
    expect(safeNextPath(value, ORIGIN)).toBeNull();
  });

  it.each([
    ["/account", "/account"],
    ["/account/sessions", "/account/sessions"],
    ["/profile?x=http://example.com", "/profile?x=http://example.com"],
    ["/a%20b/", "/a%20b/"],
    ["/a b/", "/a%20b/"],
    ["/s/abc#line-3", "/s/abc#line-3"],
    ["/", "/"],
  ])("keeps the same-site path %j", (value, expected) => {
    expect(safeNextPath(value, ORIGIN)).toBe(expected);
  });

  it("refuses values that are not strings", () => {
    expect(safeNextPath(undefined, ORIGIN)).toBeNull();
    expect(safeNextPath(null, ORIGIN)).toBeNull();
    expect(safeNextPath(42, ORIGIN)).toBeNull();
    expect(safeNextPath(["/account"], ORIGIN)).toBeNull();
    expect(safeNextPath({ next: "/account" }, ORIGIN)).toBeNull();
  });

  it("refuses absurdly long values", () => {
    expect(safeNextPath(`/${"a".repeat(5000)}`, ORIGIN)).toBeNull();
  });
});

describe("nextPathOrDefault", () => {
  it("falls back to the default page for a refused value", () => {
    expect(nextPathOrDefault("https://evil.example", ORIGIN)).toBe(DEFAULT_NEXT);
    expect(nextPathOrDefault(undefined, ORIGIN)).toBe(DEFAULT_NEXT);
  });

  it("keeps a safe value", () => {
    expect(nextPathOrDefault("/account?tab=1", ORIGIN)).toBe("/account?tab=1");
  });
});

import { describe, expect, it } from "vitest";
import { listenUrl } from "./listen-url.ts";

describe("listenUrl", () => {
  it("puts an IPv6 address in brackets, and leaves names and IPv4 addresses as they are", () => {
    expect(listenUrl("::", 3335)).toBe("http://[::]:3335");
    expect(listenUrl("::1", 3000)).toBe("http://[::1]:3000");
    expect(listenUrl("127.0.0.1", 3000)).toBe("http://127.0.0.1:3000");
    expect(listenUrl("localhost", 3000)).toBe("http://localhost:3000");
  });
});

import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./testing.ts";

let web: string;
let t: TestApp;

beforeAll(async () => {
  web = await mkdtemp(path.join(tmpdir(), "tsbin-web-"));
  await mkdir(path.join(web, "assets"));
  await writeFile(path.join(web, "index.html"), "<!doctype html><div id=root></div>");
  await writeFile(path.join(web, "assets", "app-abc123.js"), "console.log('tsbin')");
  t = await createTestApp({}, { webDistDir: web });
});

afterAll(async () => {
  await t.close();
  await rm(web, { recursive: true, force: true });
});

describe("GET /healthz", () => {
  it("answers 200 with status ok while the database answers", async () => {
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("answers 503 when the database is gone", async () => {
    const other = await createTestApp({}, { webDistDir: web });
    await other.database.close();
    const res = await other.app.request("/healthz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "unavailable" });
  });
});

describe("/trpc", () => {
  it("answers health.ping with superjson, so dates arrive as dates", async () => {
    const res = await t.app.request("/trpc/health.ping");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: Parameters<typeof superjson.deserialize>[0] } };
    const data = superjson.deserialize<{ pong: boolean; time: Date }>(body.result.data);
    expect(data.pong).toBe(true);
    expect(data.time).toBeInstanceOf(Date);
  });

  it("answers an unknown procedure with 404, not a 500", async () => {
    const res = await t.app.request("/trpc/nope.nothing");
    expect(res.status).toBe(404);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const res = await t.app.request("/trpc/health.ping", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: "x".repeat(1024 * 1024 + 1) }),
    });
    expect(res.status).toBe(413);
  });
});

describe("the SPA", () => {
  it("serves index.html at / and for client routes, never cached", async () => {
    for (const url of ["/", "/login", "/u/alice", "/reset-password/abc.def"]) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(200);
      expect(await res.text()).toContain("<div id=root>");
      expect(res.headers.get("cache-control")).toBe("no-cache");
    }
  });

  it("serves hashed assets with a long cache", async () => {
    const res = await t.app.request("/assets/app-abc123.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("immutable");
  });

  it("answers a missing asset (an older build's chunk) 404, not index.html, and keeps nothing", async () => {
    for (const url of ["/assets/nonexistent.js", "/assets/app-old999.css", "/assets/chunks/gone.js", "/assets/"]) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get("content-type"), url).toMatch(/^text\/plain/);
      expect(res.headers.get("cache-control"), url).toBe("no-store");
      expect(await res.text(), url).not.toContain("<div id=root>");
    }
  });

  it("keeps serving index.html for client routes of a build that lists no pages, a dot in a username included", async () => {
    for (const url of ["/account/sessions", "/u/alice", "/u/john.smith", "/s/abc.js"]) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("content-type"), url).toMatch(/^text\/html/);
      expect(await res.text(), url).toContain("<div id=root>");
    }
  });

  it("answers with the app's page and a 404 status where the build lists no page", async () => {
    const built = await mkdtemp(path.join(tmpdir(), "tsbin-web-"));
    await writeFile(path.join(built, "index.html"), "<!doctype html><div id=root></div>");
    const pages = ["/", "/login", "/reset-password/$token", "/account", "/account/sessions"];
    await writeFile(path.join(built, "page-paths.json"), JSON.stringify(pages));
    const app = await createTestApp({}, { webDistDir: built });
    try {
      for (const [url, status] of [
        ["/", 200],
        ["/login", 200],
        ["/login/", 200],
        ["/reset-password/abc.def", 200],
        ["/account/sessions", 200],
        ["/nope", 404],
        ["/login/x", 404],
        ["/reset-password/", 404],
        ["/account/sessions/x", 404],
        ["/u/alice", 404],
        ["/LOGIN", 200],
      ] as const) {
        const res = await app.app.request(url);
        expect(res.status, url).toBe(status);
        expect(res.headers.get("content-type"), url).toMatch(/^text\/html/);
        expect(await res.text(), url).toContain("<div id=root>");
      }
    } finally {
      await app.close();
      await rm(built, { recursive: true, force: true });
    }
  });

  it("sends security headers, including a content security policy", async () => {
    const res = await t.app.request("/");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("sends JSON answers the API's header set: no framing, no sniffing, a CSP allowing nothing", async () => {
    for (const [path, init] of [
      ["/trpc/auth.me", {}],
      ["/trpc/auth.me?via=chain", {}],
      ["/trpc/auth.logout", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }],
    ] as const) {
      const res = await t.app.request(path, init);
      expect(res.headers.get("content-security-policy"), path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("cross-origin-resource-policy"), path).toBe("same-origin");
      // Document-only headers stay on pages.
      expect(res.headers.get("cross-origin-opener-policy"), path).toBeNull();
      expect(res.headers.get("x-xss-protection"), path).toBeNull();
    }
    for (const page of ["/login", "/healthz"]) {
      const res = await t.app.request(page);
      expect(res.headers.get("cross-origin-opener-policy"), page).toBe("same-origin");
      expect(res.headers.get("content-security-policy"), page).toContain("connect-src 'self'");
    }
  });

  it("explains how to build the app when it is not built", async () => {
    const bare = await createTestApp({}, { webDistDir: path.join(web, "missing") });
    const res = await bare.app.request("/");
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("pnpm build");
    await bare.close();
  });
});

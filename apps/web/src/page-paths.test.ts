import { describe, expect, it } from "vitest";
import { PAGE_PATHS } from "./page-paths.ts";
import { router } from "./router.tsx";

describe("PAGE_PATHS", () => {
  it("lists exactly the router's pages, so the server's 404s and the app's agree", () => {
    expect([...PAGE_PATHS].sort()).toEqual(Object.keys(router.routesByPath).sort());
  });
});

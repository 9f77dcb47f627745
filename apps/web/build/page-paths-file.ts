import type { Plugin } from "vite";
import { PAGE_PATHS, PAGE_PATHS_FILE } from "../src/page-paths.ts";

/** Writes the SPA's page addresses beside index.html, for the server (apps/api's spa middleware). */
export function pagePathsFile(): Plugin {
  return {
    name: "tsbin:page-paths",
    apply: "build",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: PAGE_PATHS_FILE, source: `${JSON.stringify(PAGE_PATHS)}\n` });
    },
  };
}

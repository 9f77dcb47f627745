import { fileURLToPath } from "node:url";

/** The monorepo root (this file is security/src/harness/paths.ts). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The security package itself. */
export const SECURITY_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Figures and summaries the suite writes (faults.json, summary.json). */
export const RESULTS_DIR = fileURLToPath(new URL("../../results/", import.meta.url));
/** The production bundle of the API that every test talks to. */
export const API_ENTRY = fileURLToPath(new URL("../../../apps/api/dist/index.js", import.meta.url));
/** Where the built SPA lives; browser checks look at it to decide whether a page exists yet. */
export const WEB_DIST = fileURLToPath(new URL("../../../apps/web/dist/", import.meta.url));

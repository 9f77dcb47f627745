import { fileURLToPath } from "node:url";

// This file sits directly in apps/api/src, and the bundle in apps/api/dist: both two levels below
// apps/, so the same relative paths hold in development and in production.
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const WEB_DIST_DIR = fileURLToPath(new URL("../../web/dist/", import.meta.url));
/** Set by the production bundle, which carries its own copy of the migrations. */
export const BUNDLED_MIGRATIONS_DIR = fileURLToPath(new URL("./drizzle/", import.meta.url));

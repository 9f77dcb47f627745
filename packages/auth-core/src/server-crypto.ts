import { createHash } from "node:crypto";

/**
 * {@link import("./crypto.ts").hashSecret} on the server: the same SHA-256 of the UTF-8 secret, by
 * OpenSSL instead of JavaScript. It runs on every authenticated request (the session check), where
 * the pure-JS digest is a measurable share of the cost; the browser-safe entry keeps the JS one.
 */
export function hashSecret(secret: string): Uint8Array {
  return createHash("sha256").update(secret, "utf8").digest();
}

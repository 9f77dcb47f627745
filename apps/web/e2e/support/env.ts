import path from "node:path";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the tests through playwright.config.ts`);
  return value;
}

/** The server's origin, e.g. `http://127.0.0.1:3100`. */
export const BASE_URL = required("E2E_BASE_URL");

/** Where the file email backend writes `.eml` messages. */
export const OUTBOX_DIR = path.join(required("E2E_DATA_DIR"), "outbox");

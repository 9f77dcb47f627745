import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HASHING_PASSWORD_HASHER_NAMES } from "../src/server.ts";
import { checkDjangoAvailability, checkWithDjango, makeTsbinVectors } from "./django-check.ts";

// Writes test/vectors/tsbin-hashes-verified-by-django.json: hashes made by tsbin that real Django
// accepted (and whose wrong passwords it refused). Run: pnpm exec tsx scripts/make-tsbin-vectors.ts
const target = new URL("../test/vectors/tsbin-hashes-verified-by-django.json", import.meta.url);

const availability = await checkDjangoAvailability();
if (availability.status !== "available") {
  console.error(`Django is needed to check the hashes: ${JSON.stringify(availability)}`);
  process.exit(1);
}
const vectors = await makeTsbinVectors({ withDefaults: HASHING_PASSWORD_HASHER_NAMES });
const directory = mkdtempSync(join(tmpdir(), "tsbin-vectors-"));
try {
  const file = join(directory, "vectors.json");
  writeFileSync(file, JSON.stringify({ vectors }));
  const report = await checkWithDjango(file);
  if (report.failed.length > 0 || report.checked !== vectors.length) {
    console.error("Django did not accept every hash:", JSON.stringify(report.failed, null, 2));
    process.exit(1);
  }
  const output = { generator: "scripts/make-tsbin-vectors.ts", verifiedBy: report.versions, vectors };
  writeFileSync(target, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`Django accepted all ${vectors.length} hashes; wrote ${target.pathname}`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}

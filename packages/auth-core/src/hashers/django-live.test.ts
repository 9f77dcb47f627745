import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkDjangoAvailability, checkWithDjango, makeTsbinVectors, PYTHON } from "../../scripts/django-check.ts";
import { readVectors } from "./test-support.ts";

const directory = mkdtempSync(join(tmpdir(), "tsbin-django-check-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const availability = await checkDjangoAvailability();

function requireDjango(): boolean {
  if (availability.status === "no-django") {
    throw new Error(
      `${PYTHON} exists but cannot import django, argon2 and bcrypt, so Django cannot check tsbin's hashes. ` +
        `Install python3-django, python3-argon2 and python3-bcrypt. Python said: ${availability.detail}`,
    );
  }
  if (availability.status === "no-python") {
    // Without Python the committed Django-verified vectors (django-vectors.test.ts) stand in.
    console.warn(
      `${PYTHON} is missing: the live Django check did not run. ` +
        "tsbin-hashes-verified-by-django.json still checks hashes that Django accepted when they were generated.",
    );
    return false;
  }
  return true;
}

describe("real Django", () => {
  it("accepts hashes freshly made by tsbin with every hashing algorithm, and refuses wrong passwords", async () => {
    if (!requireDjango()) {
      expect(readVectors("tsbin-hashes-verified-by-django.json").vectors.length).toBeGreaterThan(0);
      return;
    }
    // Default parameters for the cheap algorithms only; the committed vectors cover the rest.
    const vectors = await makeTsbinVectors({ withDefaults: ["argon2", "scrypt"] });
    const file = join(directory, "fresh.json");
    writeFileSync(file, JSON.stringify({ vectors }));
    const report = await checkWithDjango(file);
    expect(report.failed).toEqual([]);
    expect(report.checked).toBe(vectors.length);
  });

  it("reports a hash it cannot verify (the check is not vacuous)", async () => {
    if (!requireDjango()) return;
    const [first, second] = await makeTsbinVectors({ withDefaults: [] });
    if (!first || !second) throw new Error("no vectors were made");
    const tampered = [
      { ...first, password: `${first.password}!` },
      { ...second, algorithm: "scrypt" as const },
    ];
    const file = join(directory, "tampered.json");
    writeFileSync(file, JSON.stringify({ vectors: tampered }));
    const report = await checkWithDjango(file);
    expect(report.failed).toHaveLength(2);
  });
});

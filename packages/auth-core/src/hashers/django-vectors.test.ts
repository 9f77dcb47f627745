import { describe, expect, it } from "vitest";
import { createPasswordHasher } from "./index.ts";
import { PASSWORD_HASHER_NAMES } from "./names.ts";
import { readVectors } from "./test-support.ts";
import { isPasswordUsable } from "./unusable.ts";

const djangoMade = readVectors("django-hashes.json");
const verifiedByDjango = readVectors("tsbin-hashes-verified-by-django.json");

// Every algorithm configured, at the default work factors: verification always uses the
// parameters stored in the hash, so the configured ones do not matter here.
const hasher = createPasswordHasher({ hashers: [...PASSWORD_HASHER_NAMES] });

describe(`hashes made by Django ${djangoMade.versions?.django ?? ""}`, () => {
  it("cover every algorithm tsbin knows", () => {
    expect(new Set(djangoMade.vectors.map((vector) => vector.algorithm))).toEqual(new Set(PASSWORD_HASHER_NAMES));
  });

  it.each(djangoMade.vectors.map((vector, index) => [index, vector.algorithm, vector.note, vector] as const))(
    "#%i %s (%s) verifies with the right password and not with a wrong one",
    async (_index, _algorithm, _note, { password, wrongPassword, encoded }) => {
      expect((await hasher.verify(password, encoded)).valid).toBe(true);
      expect((await hasher.verify(wrongPassword, encoded)).valid).toBe(false);
    },
  );

  it("keep bcrypt's 72-byte truncation for plain bcrypt, as Django does", async () => {
    const vector = djangoMade.vectors.find(
      (candidate) => candidate.algorithm === "bcrypt" && candidate.password.length === 80,
    );
    expect(vector).toBeDefined();
    if (vector)
      expect((await hasher.verify(`${vector.password.slice(0, 72)}anything`, vector.encoded)).valid).toBe(true);
  });

  it("are all flagged for rehash under tsbin's defaults (older parameters or algorithms)", () => {
    const defaults = createPasswordHasher({ hashers: [...PASSWORD_HASHER_NAMES] });
    for (const { encoded } of djangoMade.vectors) expect(defaults.needsRehash(encoded), encoded).toBe(true);
  });

  it("include unusable passwords that never verify, not even against themselves", async () => {
    expect(djangoMade.unusable?.length).toBeGreaterThan(0);
    for (const encoded of djangoMade.unusable ?? []) {
      expect(encoded).toMatch(/^![a-zA-Z0-9]{40}$/);
      expect(isPasswordUsable(encoded)).toBe(false);
      expect(await hasher.verify(encoded, encoded)).toEqual({ valid: false, needsRehash: false });
      expect(await hasher.verify("", encoded)).toEqual({ valid: false, needsRehash: false });
    }
  });
});

describe("hashes made by tsbin and accepted by Django", () => {
  it("were checked by Django when they were generated", () => {
    expect(verifiedByDjango.verifiedBy?.django).toBeDefined();
    expect(verifiedByDjango.vectors.length).toBeGreaterThan(0);
  });

  it.each(verifiedByDjango.vectors.map((vector, index) => [index, vector.algorithm, vector.note, vector] as const))(
    "#%i %s (%s) still verifies in tsbin",
    async (_index, _algorithm, _note, { password, wrongPassword, encoded }) => {
      expect((await hasher.verify(password, encoded)).valid).toBe(true);
      expect((await hasher.verify(wrongPassword, encoded)).valid).toBe(false);
    },
  );
});

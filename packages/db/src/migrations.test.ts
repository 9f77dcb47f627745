import { PGlite } from "@electric-sql/pglite";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_MIGRATIONS_FOLDER, migrateDatabase } from "./migrate.ts";

interface Journal {
  entries: { tag: string }[];
}

const scratch = mkdtempSync(path.join(os.tmpdir(), "tsbin-migrations-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The committed migrations up to and including `lastTag`, as a folder of their own. */
function migrationsUpTo(lastTag: string): string {
  const folder = path.join(scratch, lastTag);
  cpSync(DEFAULT_MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  expect(last).toBeGreaterThanOrEqual(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
  return folder;
}

describe("migration 0003 (caseless keys as text)", () => {
  it("gives keys written before ẞ folded to ss today's key, unless another account holds it", async () => {
    const pglite = new PGlite();
    try {
      await migrateDatabase({ pglite }, migrationsUpTo("0002_deactivation_ends_sessions"));
      const insert =
        "insert into users (username, username_key, password, email, email_key) values ($1, $2, '!', $3, $4)";
      await pglite.query(insert, ["ẞob", "ßob", "BOB@ẞ.example", "bob@ß.example"]);
      await pglite.query(insert, ["ẞam", "ßam", "", null]);
      await pglite.query(insert, ["ssam", "ssam", "", null]);
      await migrateDatabase({ pglite });
      const { rows } = await pglite.query<{ username: string; username_key: string; email_key: string | null }>(
        "select username, username_key, email_key from users order by id",
      );
      expect(rows).toEqual([
        { username: "ẞob", username_key: "ssob", email_key: "bob@ss.example" },
        { username: "ẞam", username_key: "ßam", email_key: null },
        { username: "ssam", username_key: "ssam", email_key: null },
      ]);
    } finally {
      await pglite.close();
    }
  });
});

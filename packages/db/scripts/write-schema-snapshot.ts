import { writeFile } from "node:fs/promises";
import { describeSchema } from "../src/schema-description.ts";
import { createTestDb } from "../src/testing.ts";

// Run after generating a migration: the schema test compares every migrated database with this file.
const handle = await createTestDb();
try {
  const description = await describeSchema(handle);
  const target = new URL("../test/schema-snapshot.json", import.meta.url);
  await writeFile(target, `${JSON.stringify(description, null, 2)}\n`);
  console.log(`wrote ${target.pathname}`);
} finally {
  await handle.close();
}

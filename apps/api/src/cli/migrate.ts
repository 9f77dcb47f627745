import type { Command } from "commander";
import { loadEnv } from "../env.ts";
import { openDatabaseOrExplain } from "../open-database.ts";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations (the server also does this at start-up)")
    .action(async () => {
      const env = loadEnv();
      const { database, applied } = await openDatabaseOrExplain(env);
      await database.close();
      const where = database.kind === "postgres" ? "PostgreSQL" : `the embedded database in ${env.dataDir}`;
      // Django's wording when the schema was already up to date.
      process.stdout.write(
        applied === 0 ? "No migrations to apply.\n" : `Applied ${applied} migration(s) to ${where}.\n`,
      );
    });
}

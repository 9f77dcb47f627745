import type { Command } from "commander";
import { openMigratedDatabase } from "../database.ts";
import { loadEnv } from "../env.ts";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations (the server also does this at start-up)")
    .action(async () => {
      const env = loadEnv();
      const database = await openMigratedDatabase(env);
      await database.close();
      process.stdout.write(
        `Migrations applied to ${database.kind === "postgres" ? "PostgreSQL" : `the embedded database in ${env.dataDir}`}.\n`,
      );
    });
}

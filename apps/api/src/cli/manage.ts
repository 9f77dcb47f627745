import { Command } from "commander";
import { describeError } from "../describe-error.ts";
import { EnvError } from "../env.ts";
import { registerMigrate } from "./migrate.ts";

const program = new Command("manage").description("tsbin's command line, after Django's manage.py");
program.showHelpAfterError();
registerMigrate(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(
    `manage: ${error instanceof EnvError ? `configuration error: ${error.message}` : describeError(error)}\n`,
  );
  process.exit(1);
}

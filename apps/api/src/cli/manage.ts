import { Command } from "commander";
import { describeError } from "../describe-error.ts";
import { EnvError } from "../env.ts";
import { registerBackfillProfiles } from "./backfill-profiles.ts";
import { registerChangePassword } from "./changepassword.ts";
import { registerClearSessions } from "./clearsessions.ts";
import { registerCreateSuperuser } from "./createsuperuser.ts";
import { registerImportDjangoUsers } from "./import-django-users.ts";
import { registerMigrate } from "./migrate.ts";

const program = new Command("manage").description("tsbin's command line, after Django's manage.py");
// A usage error is one line, like every other problem; the commands' help is one --help away.
program.configureOutput({
  outputError: (message, write) =>
    write(`manage: ${message.replace(/^error: /, "").trim()} (pnpm manage --help lists the commands)\n`),
});
registerMigrate(program);
registerCreateSuperuser(program);
registerChangePassword(program);
registerClearSessions(program);
registerBackfillProfiles(program);
registerImportDjangoUsers(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Ctrl-C at a prompt is not an error worth a message.
  if (!(error instanceof Error && error.name === "ExitPromptError")) {
    const message = error instanceof EnvError ? `configuration error: ${error.message}` : describeError(error);
    process.stderr.write(`manage: ${message}\n`);
  }
  process.exit(1);
}

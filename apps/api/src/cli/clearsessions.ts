import type { Command } from "commander";
import { cleanUpExpired } from "../cleanup.ts";
import { withCommandContext, type CommandContext } from "./context.ts";

/** Django's `clearsessions`: removes expired sessions (and spent rate-limit counters). */
export async function clearSessions(ctx: CommandContext): Promise<void> {
  const removed = await cleanUpExpired(ctx.database.db);
  ctx.out(`Removed ${removed.sessions} expired session(s) and ${removed.rateLimits} expired rate-limit counter(s).`);
}

export function registerClearSessions(program: Command): void {
  program
    .command("clearsessions")
    .description("delete expired sessions and spent rate-limit counters (the server also does this every hour)")
    .action(async () => withCommandContext(clearSessions));
}

import { DEFAULT_LANGUAGE_SLUG } from "@tsbin/db";
import type { Command } from "commander";
import { withCommandContext, type CommandContext } from "./context.ts";

/**
 * Gives a profile to every user without one — users imported or created before profiles existed.
 * Safe to run again: it only adds what is missing.
 */
export async function backfillProfiles(ctx: CommandContext): Promise<number> {
  const created = await ctx.database.query<{ id: number }>(
    `insert into profiles (user_id, default_language_id)
     select u.id, (select l.id from languages l where l.slug = $1)
       from users u
      where not exists (select 1 from profiles p where p.user_id = u.id)
     on conflict (user_id) do nothing
     returning id`,
    [DEFAULT_LANGUAGE_SLUG],
  );
  ctx.out(`Created ${created.length} missing profile(s).`);
  return created.length;
}

export function registerBackfillProfiles(program: Command): void {
  program
    .command("backfill-profiles")
    .description("create the profile of every user that has none")
    .action(async () => withCommandContext(async (ctx) => void (await backfillProfiles(ctx))));
}
